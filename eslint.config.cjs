// eslint for the addon's JavaScript (Odoo 18.0 ES modules, run in the
// browser), as `make lint` and the pre-commit hook run it: eslint's
// recommended rules, and the few that keep Odoo's style.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
    js.configs.recommended,
    {
        files: ["**/*.js"],
        languageOptions: {
            ecmaVersion: 2024,
            sourceType: "module",
            globals: {
                ...globals.browser,
                odoo: "readonly",
                owl: "readonly",
                luxon: "readonly",
            },
        },
        rules: {
            eqeqeq: "error",
            "no-var": "error",
            "prefer-const": "error",
            "no-unused-vars": ["error", {args: "none"}],
            "no-eval": "error",
            "no-implied-eval": "error",
            "no-debugger": "error",
            "no-console": "error",
        },
    },
];
