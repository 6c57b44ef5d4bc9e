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
        useExternalListener(this.form, "submit", () => {
            this.field.el.value = this.signature.isSignatureEmpty
                ? ""
                : this.signature.getSignatureImage();
        });
        // shown before Odoo's component mounts: it sizes its pad on the
        // room it finds
        this.form.querySelector(".o_client_approval_signature_block")?.classList.remove("d-none");
    }
}

registry
    .category("public_components")
    .add("lift_client_approval.signature", ClientApprovalSignature);
