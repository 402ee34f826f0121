"""Attachments: documents kept with a customer (SPEC R-16.6, docs/decisions/0037).

Upload: the name, size and the type the bytes show are checked first (every problem at
once, nothing stored); then, in one unit of work, the bytes go to the document store
(content-addressed, written atomically), the metadata to storage, and one audit record
names the document (its name enters the hash chain salted, so an erasure can blank it).
Reading needs ``customer.read``, adding and removing ``customer.write``, always within
the actor's tenant. Removing forgets the metadata at once and the bytes after the
commit, when no other attachment of the tenant keeps the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from customer_master.actor import Actor
from customer_master.domain.attachments import Attachment, attachment_errors
from customer_master.errors import NotFound, ValidationFailed
from customer_master.ports import ContentTypes, DocumentStore
from customer_master.services.base import ServiceContext, Transaction

log = logging.getLogger(__name__)


class AttachmentsNotConfigured(RuntimeError):
    """The façade was built without a document store (install the ``documents`` extra)."""


class AttachmentService:
    """Documents kept with customers."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    @property
    def limit(self) -> int:
        """The largest document accepted, in bytes."""
        return self._ctx.attachment_limit

    def attach(self, actor: Actor, customer_id: str, name: str, content: bytes) -> Attachment:
        """Keep ``content`` as the document ``name`` of the customer; refused with every
        reason at once (name a path, over the limit, a type not accepted) before anything
        is stored."""
        store, types = self._store(), self._types()
        content_type = types.detect(content) if content else None
        errors = attachment_errors(name, size=len(content), content_type=content_type, limit=self.limit)
        if errors or content_type is None:
            raise ValidationFailed(errors)
        with self._ctx.transaction(actor) as tx:
            self._ctx.require(actor, "customer.write", tx.uow.configuration.get(actor.tenant))
            _require_customer(tx, customer_id)
            attachment = Attachment(
                id=self._ctx.make_id(),
                tenant=actor.tenant,
                customer_id=customer_id,
                name=name.strip(),
                content_type=content_type,
                size=len(content),
                digest=store.put(actor.tenant, content),
                uploaded_by=actor.user,
                uploaded_at=self._ctx.clock.now(),
            )
            tx.uow.attachments.add(attachment)
            tx.audit(
                "attach", [customer_id], {"attachments": {"before": None, "after": attachment.summary()}}
            )
        return attachment

    def list(self, actor: Actor, customer_id: str) -> Sequence[Attachment]:
        """The customer's documents, oldest first."""
        with self._ctx.storage.unit_of_work() as uow:
            self._ctx.require(actor, "customer.read", uow.configuration.get(actor.tenant))
            if uow.customers.get(actor.tenant, customer_id) is None:
                raise NotFound("customer", customer_id)
            return uow.attachments.for_customer(actor.tenant, customer_id)

    def download(self, actor: Actor, customer_id: str, attachment_id: str) -> tuple[Attachment, bytes]:
        """A document of the customer with its bytes."""
        with self._ctx.storage.unit_of_work() as uow:
            self._ctx.require(actor, "customer.read", uow.configuration.get(actor.tenant))
            attachment = _found(uow.attachments.get(actor.tenant, attachment_id), customer_id, attachment_id)
        return attachment, self._store().get(actor.tenant, attachment.digest)

    def remove(self, actor: Actor, customer_id: str, attachment_id: str) -> Attachment:
        """Forget a document of the customer (audited); its bytes leave the store after
        the commit unless another attachment keeps the same bytes."""
        with self._ctx.transaction(actor) as tx:
            self._ctx.require(actor, "customer.write", tx.uow.configuration.get(actor.tenant))
            attachments = tx.uow.attachments
            attachment = _found(attachments.get(actor.tenant, attachment_id), customer_id, attachment_id)
            attachments.remove(actor.tenant, attachment.id)
            tx.audit(
                "detach", [customer_id], {"attachments": {"before": attachment.summary(), "after": None}}
            )
            if not attachments.uses_digest(actor.tenant, attachment.digest):
                tx.after_commit(lambda: self._forget(actor.tenant, attachment.digest))
        return attachment

    def _forget(self, tenant: str, digest: str) -> None:
        try:
            self._store().delete(tenant, digest)
        except OSError:
            log.exception("could not delete document %s of tenant %s", digest, tenant)

    def _store(self) -> DocumentStore:
        if self._ctx.documents is None:
            raise AttachmentsNotConfigured(
                "attachments need the 'documents' extra (or a documents= store): "
                "pip install 'customer-master[documents]'"
            )
        return self._ctx.documents

    def _types(self) -> ContentTypes:
        if self._ctx.content_types is None:
            raise AttachmentsNotConfigured(
                "attachments need the 'documents' extra to recognise a document from its bytes: "
                "pip install 'customer-master[documents]'"
            )
        return self._ctx.content_types


def _require_customer(tx: Transaction, customer_id: str) -> None:
    if tx.uow.customers.get(tx.tenant, customer_id) is None:
        raise NotFound("customer", customer_id)


def _found(attachment: Attachment | None, customer_id: str, attachment_id: str) -> Attachment:
    if attachment is None or attachment.customer_id != customer_id:
        raise NotFound("attachment", attachment_id)
    return attachment
