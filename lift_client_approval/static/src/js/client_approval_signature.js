/** @odoo-module **/
/**
 * The client's signature on the timesheet letter page: Odoo's own
 * name-and-signature component (typed from the name, drawn, or loaded from
 * an image), inside the page's plain HTML form. The form's "Your name" field
 * stays the name; the signature follows it as it is typed. When the form is
 * sent, the signature goes in its hidden "signature" field. Without
 * JavaScript the form works as well, without a signature.
 */
import {Component, useExternalListener, useRef, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {NameAndSignature} from "@web/core/signature/name_and_signature";

/** Odoo's component, its name taken from a field of the page's form. */
export class FormNameAndSignature extends NameAndSignature {
    static props = {...NameAndSignature.props, nameInput: {type: Object}};

    setup() {
        super.setup();
        this.props.signature.getMode = () => this.state.signMode;
        useExternalListener(this.props.nameInput, "input", (ev) => {
            this.props.signature.name = ev.target.value;
            if (this.state.signMode !== "auto") {
                return;
            }
            if (ev.target.value.trim()) {
                this.drawCurrentName();
            } else {
                this.clear();
            }
        });
    }
}

export class ClientApprovalSignature extends Component {
    static template = "lift_client_approval.ClientApprovalSignature";
    static components = {FormNameAndSignature};
    static props = {nameInputId: String, defaultName: {type: String, optional: true}};

    setup() {
        this.nameInput = document.getElementById(this.props.nameInputId);
        this.form = this.nameInput.form;
        this.field = useRef("field");
        this.signature = useState({
            name: this.nameInput.value || this.props.defaultName || "",
            getSignatureImage: () => "",
            resetSignature: () => {},
            isSignatureEmpty: true,
        });
        useExternalListener(this.form, "submit", (ev) => this.onSubmit(ev));
        // shown before Odoo's component mounts: it sizes its pad on the
        // room it finds
        this.form
            .querySelector(".o_client_approval_signature_block")
            ?.classList.remove("d-none");
    }

    /**
     * A signature typed from the name is drawn a moment after the name is
     * typed (its font loads as an image): a form sent in that moment waits
     * for it, then leaves with it, sent by the same button.
     */
    onSubmit(ev) {
        if (!this.waited && this.isDrawing()) {
            ev.preventDefault();
            const submitter = ev.submitter;
            this.whenDrawn().then(() => {
                this.waited = true;
                this.form.requestSubmit(submitter);
            });
            return;
        }
        this.waited = false;
        // drawn, or given up after a while: then it leaves without a signature
        this.field.el.value = this.signature.isSignatureEmpty
            ? ""
            : this.signature.getSignatureImage();
    }

    isDrawing() {
        return (
            this.signature.getMode?.() === "auto" &&
            Boolean(this.signature.name.trim()) &&
            this.signature.isSignatureEmpty
        );
    }

    async whenDrawn(timeout = 3000) {
        const start = Date.now();
        while (this.isDrawing() && Date.now() - start < timeout) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }
}

registry
    .category("public_components")
    .add("lift_client_approval.signature", ClientApprovalSignature);
