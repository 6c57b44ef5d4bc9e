/** @odoo-module **/
/**
 * The client's timesheet letter page works as a plain HTML form, whose
 * server tells which rejected line lacks its comment. This asks for the
 * comment before the form leaves: the message is shown at the comment's
 * field, tied to it for assistive technology, and the field gets the focus.
 */
import publicWidget from "@web/legacy/js/public/public_widget";
import {_t} from "@web/core/l10n/translation";

publicWidget.registry.ClientApprovalForm = publicWidget.Widget.extend({
    selector: "#o_client_approval_form",
    events: {
        submit: "_onSubmit",
        "input textarea": "_onCommentInput",
        "change input[type=radio]": "_onDecisionChange",
    },

    _commentOf(radio) {
        return this.el.querySelector(`#${radio.name.replace("decision-", "comment-")}`);
    },

    _setError(comment, message) {
        const error = this.el.querySelector(
            `#${comment.id.replace("comment-", "comment-error-")}`
        );
        comment.classList.toggle("is-invalid", Boolean(message));
        if (message) {
            comment.setAttribute("aria-invalid", "true");
            comment.setAttribute("aria-describedby", error.id);
        } else {
            comment.removeAttribute("aria-invalid");
            comment.removeAttribute("aria-describedby");
        }
        error.textContent = message || "";
        error.classList.toggle("d-block", Boolean(message));
    },

    _onCommentInput(ev) {
        if (ev.target.value.trim()) {
            this._setError(ev.target, "");
        }
    },

    _onDecisionChange(ev) {
        const comment = this._commentOf(ev.target);
        if (comment && ev.target.value === "approved") {
            this._setError(comment, "");
        }
    },

    _onSubmit(ev) {
        if (ev.submitter && ev.submitter.name === "approve_all") {
            return;
        }
        let first = null;
        for (const radio of this.el.querySelectorAll(
            "input[type=radio][value=rejected]:checked"
        )) {
            const comment = this._commentOf(radio);
            if (comment && !comment.value.trim()) {
                this._setError(comment, _t("Say why you reject this line."));
                first = first || comment;
            }
        }
        if (first) {
            ev.preventDefault();
            first.focus();
        }
    },
});
