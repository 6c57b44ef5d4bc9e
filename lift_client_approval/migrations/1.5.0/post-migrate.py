"""1.5.0: "went to the client" is one stored fact, the letter's first
sending (``first_sent_date``), which the record rules, the portal and the
analysis read. Letters sent before that date was kept get it from their last
sending, the earliest the database still knows."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE lift_client_approval
           SET first_sent_date = sent_date
         WHERE first_sent_date IS NULL
           AND sent_date IS NOT NULL
        """
    )
