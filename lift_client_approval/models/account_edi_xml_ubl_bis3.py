from lxml import etree

from odoo import models

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
DOCUMENT_REFERENCE = "cac:AdditionalDocumentReference"
PROJECT_REFERENCE = "cac:ProjectReference"
ORDER_REFERENCE = "cac:OrderReference"
# In UBL 2.1, what comes right after the supporting documents (the
# AdditionalDocumentReference elements), by document: an XSD sequence.
AFTER_DOCUMENTS = {
    "Invoice": ("ProjectReference", "Signature", "AccountingSupplierParty"),
    "CreditNote": (
        "StatementDocumentReference",
        "OriginatorDocumentReference",
        "Signature",
        "AccountingSupplierParty",
    ),
}
AFTER_PROJECT = ("Signature", "AccountingSupplierParty")


def merge_client_approval_nodes(document_node, nodes):
    """Add the client's approval (``nodes``, in the shape of Odoo's UBL
    builder) to a document's nodes: the letters join the supporting
    documents there are (a localisation may have set some), the project and
    the order reference fill what is empty."""
    for tag, node in nodes.items():
        present = document_node.get(tag)
        if tag == DOCUMENT_REFERENCE:
            present = [present] if isinstance(present, dict) else present or []
            document_node[tag] = [*present, *node]
        elif tag == ORDER_REFERENCE:
            document_node[tag] = {**(present or {}), **node}
        elif not (present or {}).get("cbc:ID", {}).get("_text"):
            document_node[tag] = node


def to_element(tag, node):
    """A node of Odoo's UBL builder as an lxml element: ``_text`` its text,
    a dict a child, anything else an attribute."""
    prefix, name = tag.split(":")
    element = etree.Element(f"{{{NS[prefix]}}}{name}")
    for key, value in node.items():
        if key == "_text":
            element.text = value
        elif isinstance(value, dict):
            element.append(to_element(key, value))
        else:
            element.set(key, value)
    return element


def insert_before(root, element, anchors):
    """Insert ``element`` among ``root``'s children before the first of
    ``anchors`` (local names), where the XSD sequence wants it."""
    for index, child in enumerate(root):
        if etree.QName(child).localname in anchors:
            root.insert(index, element)
            return
    root.append(element)


def insert_client_approval_nodes(xml, nodes):
    """The same as ``merge_client_approval_nodes``, in a finished UBL
    document (bytes), for builders that have no hook for it; what the
    document holds already is left as it is. The document, changed or not."""
    root = etree.fromstring(xml)
    kind = etree.QName(root).localname
    present = {
        element.text
        for element in root.findall("cac:AdditionalDocumentReference/cbc:ID", NS)
    }
    changed = False
    for tag, node in nodes.items():
        if tag == DOCUMENT_REFERENCE:
            for document in node:
                if document["cbc:ID"]["_text"] not in present:
                    insert_before(
                        root, to_element(tag, document), AFTER_DOCUMENTS[kind]
                    )
                    changed = True
        elif tag == ORDER_REFERENCE:
            order_id = root.find("cac:OrderReference/cbc:ID", NS)
            if order_id is None:
                insert_before(root, to_element(tag, node), ("BillingReference",))
                changed = True
            elif order_id.text != node["cbc:ID"]["_text"]:
                order_id.text = node["cbc:ID"]["_text"]
                changed = True
        elif root.find(f"{tag}/cbc:ID", NS) is None:
            insert_before(root, to_element(tag, node), AFTER_PROJECT)
            changed = True
    if not changed:
        return xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def place_project_reference(xml):
    """The project reference after every supporting document, as UBL 2.1
    orders them: a builder that adds its own document (Odoo's invoice PDF)
    before the supplier may have put it after the project."""
    root = etree.fromstring(xml)
    project = root.find("cac:ProjectReference", NS)
    documents = root.findall("cac:AdditionalDocumentReference", NS)
    if (
        project is None
        or not documents
        or root.index(project) > root.index(documents[-1])
    ):
        return xml
    documents[-1].addnext(project)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class AccountEdiXmlUblBis3(models.AbstractModel):
    """Peppol BIS Billing 3.0, and the formats built on it (NLCIUS,
    XRechnung): the e-invoice carries the client's approval of the hours it
    bills."""

    _inherit = "account.edi.xml.ubl_bis3"

    def _add_invoice_header_nodes(self, document_node, vals):
        # Odoo's builder since 2025 (18.0 and 19.0)
        result = super()._add_invoice_header_nodes(document_node, vals)
        merge_client_approval_nodes(
            document_node,
            vals["invoice"]._get_client_approval_ubl_nodes(vals["document_type"]),
        )
        return result

    def _export_invoice(self, invoice, *args, **kwargs):
        """Odoo's former builder (the 18.0 of early 2025, and 18.0's own
        behind its switch) renders a template without attachments and calls
        no header hook: the same nodes go into the finished document. After
        the hook, nothing is left to add."""
        xml, errors = super()._export_invoice(invoice, *args, **kwargs)
        if not xml:
            return xml, errors
        kind = etree.QName(etree.fromstring(xml)).localname
        nodes = invoice._get_client_approval_ubl_nodes(
            "credit_note" if kind == "CreditNote" else "invoice"
        )
        return insert_client_approval_nodes(xml, nodes) if nodes else xml, errors
