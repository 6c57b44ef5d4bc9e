/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A signature drawn with the pointer on Odoo's signature pad, with the
 * events a mouse gives: the primary pointer, its button held until it is
 * released (19.0's pad ignores any other pointer).
 */
function drawSignature() {
    const canvas = document.querySelector(".o_web_sign_signature");
    const rect = canvas.getBoundingClientRect();
    const fire = (type, x, y) =>
        canvas.dispatchEvent(
            new PointerEvent(type, {
                clientX: rect.left + x,
                clientY: rect.top + y,
                pointerId: 1,
                isPrimary: true,
                buttons: type === "pointerup" ? 0 : 1,
                bubbles: true,
                cancelable: true,
            })
        );
    fire("pointerdown", 10, 30);
    fire("pointermove", 60, 60);
    fire("pointermove", 120, 20);
    fire("pointermove", 180, 50);
    fire("pointerup", 180, 50);
}

/**
 * A step that leaves the page says so on Odoo 19.0 (its tours stop
 * otherwise); the 18.0 nightly of 2025 refuses the key. The two are told
 * apart by 19.0's own tour module, not by a version number.
 */
function leavesPage() {
    return odoo.loader.modules.has("@web_tour/js/tour_automatic/tour_automatic")
        ? {expectUnloadPage: true}
        : {};
}

registry.category("web_tour.tours").add("lift_client_approval_portal_tour", {
    steps: () => [
        {
            content: "The letter shows the employee's hours",
            trigger: "#o_client_approval_form .o_client_approval_line",
        },
        {
            content: "Reject the first line",
            trigger:
                ".o_client_approval_line:first-child label.o_client_approval_reject",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".o_client_approval_line:first-child textarea",
            run: "edit Only two hours were agreed",
        },
        {
            content: "Draw the signature instead of typing it",
            trigger: ".o_client_approval_signature .o_web_sign_draw_button",
            run: "click",
        },
        {
            content: "Sign",
            trigger: ".o_client_approval_signature .o_web_sign_draw_button.active",
            run: drawSignature,
        },
        {
            content: "Send the answer",
            trigger: ".o_client_approval_submit",
            run: "click",
            ...leavesPage(),
        },
        {
            content: "The answer is recorded",
            trigger: ".alert-success:contains(your answer has been recorded)",
        },
    ],
});
