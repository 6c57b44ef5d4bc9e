/** @odoo-module **/
/**
 * The client's timesheet letter page works as a plain HTML form; this adds
 * a signature pad (drawn with a mouse, a pen or a finger) that fills the
 * form's hidden "signature" field, and asks for a comment before a line is
 * rejected.
 */
import publicWidget from "@web/legacy/js/public/public_widget";

publicWidget.registry.ClientApprovalForm = publicWidget.Widget.extend({
    selector: "#o_client_approval_form",
    events: {
        submit: "_onSubmit",
        "click .o_client_approval_signature_clear": "_onClear",
    },

    start() {
        const block = this.el.querySelector(".o_client_approval_signature");
        this.canvas = this.el.querySelector(".o_client_approval_signature_pad");
        this.input = this.el.querySelector("input[name='signature']");
        if (block && this.canvas) {
            block.classList.remove("d-none");
            this._setupPad();
        }
        return this._super(...arguments);
    },

    _setupPad() {
        const canvas = this.canvas;
        canvas.width = canvas.offsetWidth || 400;
        const ctx = canvas.getContext("2d");
        ctx.lineWidth = 2;
        ctx.lineCap = "round";
        ctx.strokeStyle = "#1a1a1a";
        let drawing = false;
        const point = (ev) => {
            const rect = canvas.getBoundingClientRect();
            return [
                ((ev.clientX - rect.left) * canvas.width) / rect.width,
                ((ev.clientY - rect.top) * canvas.height) / rect.height,
            ];
        };
        canvas.addEventListener("pointerdown", (ev) => {
            drawing = true;
            try {
                canvas.setPointerCapture(ev.pointerId);
            } catch {
                // synthetic events (tests) have no capturable pointer
            }
            ctx.beginPath();
            ctx.moveTo(...point(ev));
        });
        canvas.addEventListener("pointermove", (ev) => {
            if (!drawing) {
                return;
            }
            ctx.lineTo(...point(ev));
            ctx.stroke();
            this.signed = true;
        });
        const stop = () => {
            drawing = false;
        };
        canvas.addEventListener("pointerup", stop);
        canvas.addEventListener("pointerleave", stop);
    },

    _onClear() {
        const ctx = this.canvas.getContext("2d");
        ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
        this.signed = false;
    },

    _onSubmit(ev) {
        const approveAll = ev.submitter && ev.submitter.name === "approve_all";
        if (!approveAll) {
            for (const radio of this.el.querySelectorAll("input[type=radio][value=rejected]:checked")) {
                const comment = this.el.querySelector(
                    `textarea[name='${radio.name.replace("decision-", "comment-")}']`
                );
                if (comment && !comment.value.trim()) {
                    ev.preventDefault();
                    comment.classList.add("is-invalid");
                    comment.focus();
                    return;
                }
            }
        }
        if (this.input && this.signed) {
            this.input.value = this.canvas.toDataURL("image/png");
        }
    },
});
