{
    "name": "Client Approval of Timesheets and Expenses",
    "summary": "Clients approve employees' hours and expenses on the portal "
    "before they are invoiced",
    "version": "18.0.1.0.0",
    "category": "Services/Timesheets",
    "website": "https://github.com/lift-client-approval/lift_client_approval",
    "author": "lift_client_approval contributors",
    "license": "LGPL-3",
    "depends": [
        "sale_timesheet",
        "hr_expense",
        "sale_expense",
        "project_hr_expense",
        "portal",
    ],
    "data": [
        "security/lift_client_approval_groups.xml",
        "security/ir.model.access.csv",
        "security/lift_client_approval_security.xml",
        "report/lift_client_approval_report.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/mail_message_subtype_data.xml",
        "wizards/lift_client_approval_refuse_wizard_views.xml",
        "views/lift_client_approval_views.xml",
        "views/project_project_views.xml",
        "views/account_analytic_line_views.xml",
        "views/hr_expense_views.xml",
        "views/res_config_settings_views.xml",
        "views/lift_client_approval_portal_templates.xml",
        "views/lift_client_approval_menus.xml",
    ],
    "demo": [
        "demo/lift_client_approval_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "lift_client_approval/static/src/js/client_approval_portal.js",
            "lift_client_approval/static/src/scss/client_approval_portal.scss",
        ],
        "web.assets_tests": [
            "lift_client_approval/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
