"""18.0.1.3.0: the letter no longer has a formatter of hours of its own.

E-mail templates edited in a database before 18.0.1.2.0 may still call it
(``object._format_hours(...)``): they call Odoo's ``format_duration`` now,
which shows hours the same way (H:MM)."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE mail_template
           SET body_html = replace(
                   body_html::text, 'object._format_hours(', 'format_duration('
               )::jsonb
         WHERE model = 'lift.client.approval'
           AND body_html::text LIKE '%%object._format_hours(%%'
        """
    )
