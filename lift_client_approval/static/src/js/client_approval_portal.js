/** @odoo-module **/
/**
 * The client's timesheet letter page works as a plain HTML form, whose
 * server tells which answer cannot be given as it is (a rejection or a
 * correction without its comment, a correction's hours). This shows the
 * hours of a correction once Correct is chosen, and asks for what is
 * missing before the form leaves: the message is shown at its field, tied to
 * it for assistive technology, and the field gets the focus. Whether the
 * hours are fewer than those logged is the server's to say.
 */
import publicWidget from "@web/legacy/js/public/public_widget";
import {_t} from "@web/core/l10n/translation";

publicWidget.registry.ClientApprovalForm = publicWidget.Widget.extend({
    selector: "#o_client_approval_form",
    events: {
        submit: "_onSubmit",
        "input textarea, input.o_client_approval_hours": "_onFieldInput",
        "change input[type=radio]": "_onDecisionChange",
    },

    start() {
        this.el.classList.add("o_client_approval_js");
        return this._super(...arguments);
    },

    _fieldOf(radio, kind) {
        return this.el.querySelector(`#${radio.name.replace("decision-", `${kind}-`)}`);
    },

    _setError(field, message) {
        const error = this.el.querySelector(
            `#${field.id.replace(/^(comment|hours)-/, "$1-error-")}`
        );
        field.classList.toggle("is-invalid", Boolean(message));
        if (message) {
            field.setAttribute("aria-invalid", "true");
            field.setAttribute("aria-describedby", error.id);
        } else {
            field.removeAttribute("aria-invalid");
            field.removeAttribute("aria-describedby");
        }
        error.textContent = message || "";
        error.classList.toggle("d-block", Boolean(message));
    },

    _onFieldInput(ev) {
        if (ev.target.value.trim()) {
            this._setError(ev.target, "");
        }
    },

    _onDecisionChange(ev) {
        const comment = this._fieldOf(ev.target, "comment");
        const hours = this._fieldOf(ev.target, "hours");
        const correcting = ev.target.value === "corrected";
        if (comment && ev.target.value === "approved") {
            this._setError(comment, "");
        }
        if (hours) {
            // shown right after the choices, the next field Tab reaches:
            // the focus stays where the client put it
            hours
                .closest(".o_client_approval_correction")
                .classList.toggle("o_client_approval_chosen", correcting);
            if (!correcting) {
                this._setError(hours, "");
            }
        }
    },

    _onSubmit(ev) {
        if (ev.submitter && ev.submitter.name === "approve_all") {
            return;
        }
        const missing = [];
        for (const radio of this.el.querySelectorAll(
            "input[type=radio][value=rejected]:checked, input[type=radio][value=corrected]:checked"
        )) {
            const correcting = radio.value === "corrected";
            const hours = correcting && this._fieldOf(radio, "hours");
            if (hours && !hours.value.trim()) {
                this._setError(hours, _t("Give the hours you accept, such as 4:00."));
                missing.push(hours);
            }
            const comment = this._fieldOf(radio, "comment");
            if (comment && !comment.value.trim()) {
                this._setError(
                    comment,
                    correcting
                        ? _t("Say why you correct this line.")
                        : _t("Say why you reject this line.")
                );
                missing.push(comment);
            }
        }
        if (missing.length) {
            ev.preventDefault();
            missing[0].focus();
        }
    },
});
