"""Request and response schemas, declared once: they validate input, shape output and generate the
OpenAPI document. Taxonomy fields accept a code or its Chinese or English label and store the code; an
unknown label is a 422 that lists the valid codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from apiflask import Schema
from apiflask.fields import (
    Boolean,
    Date,
    DateTime,
    Dict,
    Email,
    Float,
    Integer,
    List,
    Nested,
    String,
)
from apiflask.validators import Length, OneOf, Range, Regexp
from marshmallow import ValidationError, fields, pre_load, validates, validates_schema

from matcher.config import WEIGHT_LIMIT, WEIGHT_NAMES
from matcher.errors import UnknownLabelError
from matcher.geography import Places
from matcher.taxonomy import (
    CITIES,
    INDUSTRIES,
    INVESTOR_KINDS,
    LANGUAGES,
    MENTOR_TYPES,
    NEEDS,
    PRICE_TIERS,
    PROVIDER_CATEGORIES,
    REGIONS,
    ROUNDS,
    STAGES,
    Vocabulary,
)

MAX_ID = 2**31 - 1  # database integer keys


def parse_db_int(text: str, low: int = 0, high: int = MAX_ID) -> int | None:
    """``text`` as an integer a database key column holds (ASCII digits, at most 10, within [low, high]), else
    None: what forms, tokens and posted pairs accept without ever reaching int() with something huge."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if low <= value <= high else None


PLACE_HELP = ("GB/T 2260 code, Chinese name, pinyin or English name (370100, 济南, Jinan); overseas cities "
              "<country>-<city> (de-berlin) or their names; `huoban taxonomy list city` lists them")


class Code(fields.String):
    """One taxonomy code (input: code, zh or en label)."""

    def __init__(self, vocab: Vocabulary | Places, **kwargs: Any) -> None:
        self.vocab = vocab
        meta = dict(kwargs.pop("metadata", {}))
        meta.setdefault("description", f"{vocab.name} code (or its Chinese/English label)")
        if isinstance(vocab, Vocabulary):  # places are too many to list (PLACE_HELP says where they are)
            meta.setdefault("enum", list(vocab.codes))
        super().__init__(metadata=meta, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.vocab.parse(text)
        except UnknownLabelError as exc:
            raise ValidationError(str(exc)) from None


def _length_first(field: fields.Field[Any], value: Any) -> None:
    """Check a collection's maximum length before its items are read: a list (or object) far too long is one
    error, not one per item (nor a worker tied up reading and reporting them)."""
    if isinstance(value, list | dict):
        for validator in field.validators:
            if isinstance(validator, Length) and validator.max is not None and len(value) > validator.max:
                validator(value)  # raises, with the validator's own message


class BoundedList(fields.List[Any]):
    """A list whose ``Length(max=...)`` is checked before its items."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        _length_first(self, value)
        return super()._deserialize(value, attr, data, **kwargs)


class BoundedDict(fields.Dict):
    """An object whose ``Length(max=...)`` (its number of members) is checked before its members."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        _length_first(self, value)
        return super()._deserialize(value, attr, data, **kwargs)  # type: ignore[no-untyped-call]


class Codes(BoundedList):
    """A list of taxonomy codes, de-duplicated, in vocabulary order (``ordered``: in the given order, where the
    first one means something - a project's first language is its working language)."""

    def __init__(self, vocab: Vocabulary | Places, *, min_items: int = 0, max_items: int = 20,
                 ordered: bool = False, **kwargs: Any) -> None:
        self.vocab = vocab
        self.ordered = ordered
        super().__init__(Code(vocab), validate=Length(min=min_items, max=max_items), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        items = super()._deserialize(value, attr, data, **kwargs)
        if self.ordered:
            return list(dict.fromkeys(items))
        return [c for c in self.vocab.codes if c in set(items)]


class CityCode(Code):
    """A city: any prefecture-level or county-level city of China, or an overseas city."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(CITIES, metadata={"description": f"city: {PLACE_HELP}"}, **kwargs)


def RegionCode(**kwargs: Any) -> Code:  # noqa: N802 - a field factory named like the fields
    return Code(REGIONS, metadata={"description": f"city, province, macro region (华东...) or 全国: {PLACE_HELP}"},
                **kwargs)


def _text(max_len: int, *, required: bool = False, min_len: int = 0, **kw: Any) -> String:
    return String(required=required, validate=Length(min=min_len, max=max_len), **kw)


class StrictSchema(Schema):
    """Unknown fields are errors, surrounding whitespace is trimmed, NUL characters refused."""

    class Meta:
        unknown = "raise"

    @pre_load
    def _clean(self, data: Any, **_: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data, dict):  # query strings and forms (webargs proxies)
            data = {key: data[key] for key in data}
        if isinstance(data, dict):
            out = {}
            for key, value in data.items():
                if isinstance(value, str):
                    if "\x00" in value:
                        raise ValidationError("NUL characters are not allowed", field_name=key)
                    value = value.strip()
                out[key] = value
            return out
        return data


# -- common -----------------------------------------------------------------------------------------------
class PageQuery(StrictSchema):
    page = Integer(load_default=1, validate=Range(min=1, max=100_000))
    per_page = Integer(load_default=20, validate=Range(min=1, max=100))


class PageMeta(Schema):
    page = Integer(required=True)
    per_page = Integer(required=True)
    total = Integer(required=True)
    pages = Integer(required=True)


class ProfileFilterQuery(PageQuery):
    space_id = Integer(validate=Range(min=1, max=MAX_ID))
    stage = Code(STAGES)
    round = Code(ROUNDS)
    industry = Code(INDUSTRIES)
    need = Code(NEEDS)
    region = RegionCode()
    q = _text(200, metadata={"description": "text search in names and descriptions"})
    active = Boolean()


class ProjectFilterQuery(ProfileFilterQuery):
    curated = Boolean()


class MentorFilterQuery(ProfileFilterQuery):
    mentor_type = Code(MENTOR_TYPES)


class InvestorFilterQuery(ProfileFilterQuery):
    kind = Code(INVESTOR_KINDS)


class ProviderFilterQuery(ProfileFilterQuery):
    category = Code(PROVIDER_CATEGORIES)


# -- spaces ------------------------------------------------------------------------------------------------
class SpaceIn(StrictSchema):
    slug = String(required=True, validate=[Length(min=2, max=80), Regexp(r"^[a-z0-9][a-z0-9-]*$")])
    name = _text(200, required=True, min_len=1)
    city = CityCode(required=True)
    description = _text(5000, load_default="")
    focus_industries = Codes(INDUSTRIES, max_items=10, load_default=list)


class SpacePatch(StrictSchema):
    name = _text(200, min_len=1)
    city = CityCode()
    description = _text(5000)
    focus_industries = Codes(INDUSTRIES, max_items=10)


class SpaceOut(Schema):
    id = Integer(required=True)
    slug = String(required=True)
    name = String(required=True)
    city = String(required=True)
    description = String(required=True)
    focus_industries = List(String(), required=True)
    created_at = DateTime(required=True)


class SpaceItem(SpaceOut):
    """One item of a list (its own OpenAPI component)."""


class SpacePage(Schema):
    items = List(Nested(SpaceItem), required=True)
    meta = Nested(PageMeta, required=True)


# -- contacts ------------------------------------------------------------------------------------------------
class ContactIn(StrictSchema):
    contact_name = _text(200, allow_none=True)
    contact_email = Email(allow_none=True, validate=Length(max=320))
    contact_phone = String(allow_none=True, validate=[Length(max=40), Regexp(r"^[0-9+()\- ]*$")])


class ContactOut(Schema):
    contacts_visible = Boolean(required=True, metadata={
        "description": "false: contacts are withheld until both sides accepted an introduction"})
    contact_name = String(allow_none=True)
    contact_email = String(allow_none=True)
    contact_phone = String(allow_none=True)


# -- projects ------------------------------------------------------------------------------------------------
class ProjectIn(ContactIn):
    space_id = Integer(validate=Range(min=1, max=MAX_ID), metadata={"description": "defaults to the operator's space"})
    external_id = String(allow_none=True, validate=[Length(min=1, max=100), Regexp(r"^[^\x00-\x1f]*$")], metadata={
        "description": "the space's own key for this profile (unique in the space): a re-import updates by it"})
    name = _text(200, required=True, min_len=1)
    one_liner = _text(500, required=True, min_len=1)
    needs_statement = _text(1000, load_default="")
    description = _text(10000, load_default="")
    stage = Code(STAGES, required=True)
    round_sought = Code(ROUNDS, allow_none=True, load_default=None)
    industries = Codes(INDUSTRIES, min_items=1, max_items=5, ordered=True, required=True, metadata={
        "description": "the first is the project's main industry: covering it counts for more in industry fit"})
    needs = Codes(NEEDS, max_items=18, load_default=list)
    city = CityCode(required=True)
    languages = Codes(LANGUAGES, min_items=1, max_items=2, ordered=True, load_default=lambda: ["zh"])
    team_size = Integer(load_default=1, validate=Range(min=0, max=1_000_000))
    funding_sought = Integer(load_default=0, validate=Range(min=0, max=10**12),
                             metadata={"description": "CNY"})
    founded_on = Date(allow_none=True, load_default=None)
    dealflow_curated = Boolean(load_default=False)

    @validates("founded_on")
    def _not_future(self, value: dt.date | None, **_: Any) -> None:
        if value is not None and (value > dt.date.today() or value.year < 1900):
            raise ValidationError("founded_on must be a past date")

    @validates_schema
    def _round_needs_financing(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("funding_sought") and not data.get("round_sought", "x"):
            raise ValidationError("funding_sought needs a round_sought", field_name="round_sought")


class ProjectPatch(ProjectIn):
    class Meta:
        unknown = "raise"


class ProjectOut(ContactOut):
    id = Integer(required=True)
    space_id = Integer(required=True)
    external_id = String(allow_none=True, metadata={"description": "shown to the space's operators and admins"})
    name = String(required=True)
    one_liner = String(required=True)
    needs_statement = String(required=True)
    description = String(required=True)
    stage = String(required=True)
    round_sought = String(allow_none=True, required=True)
    industries = List(String(), required=True)
    needs = List(String(), required=True)
    city = String(required=True)
    region = String(required=True)
    languages = List(String(), required=True)
    team_size = Integer(required=True)
    funding_sought = Integer(required=True)
    founded_on = Date(allow_none=True, required=True)
    dealflow_curated = Boolean(required=True)
    active = Boolean(required=True)
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)


class ProjectItem(ProjectOut):
    """One item of a list (its own OpenAPI component)."""


class ProjectPage(Schema):
    items = List(Nested(ProjectItem), required=True)
    meta = Nested(PageMeta, required=True)


# -- candidates ---------------------------------------------------------------------------------------------
class CandidateIn(ContactIn):
    space_id = Integer(allow_none=True, validate=Range(min=1, max=MAX_ID),
                       metadata={"description": "null: network-wide (admins); operators: their space"})
    name = _text(200, required=True, min_len=1)
    external_id = String(allow_none=True, validate=[Length(min=1, max=100), Regexp(r"^[^\x00-\x1f]*$")], metadata={
        "description": "the space's own key for this profile (unique in the space): a re-import updates by it"})
    industries = Codes(INDUSTRIES, max_items=18, load_default=list)
    stages = Codes(STAGES, min_items=1, max_items=5, required=True)
    languages = Codes(LANGUAGES, min_items=1, max_items=2, ordered=True, load_default=lambda: ["zh"])
    city = CityCode(required=True)
    regions = Codes(REGIONS, max_items=30, load_default=list)
    active = Boolean(load_default=True)


class MentorIn(CandidateIn):
    mentor_type = Code(MENTOR_TYPES, required=True)
    title = _text(200, load_default="")
    organisation = _text(200, load_default="")
    expertise = _text(500, required=True, min_len=1)
    offer = _text(1000, required=True, min_len=1)
    bio = _text(10000, load_default="")
    serves = Codes(NEEDS, min_items=1, max_items=18, required=True)
    capacity = Integer(load_default=3, validate=Range(min=0, max=1000))


class InvestorIn(CandidateIn):
    kind = Code(INVESTOR_KINDS, required=True)
    thesis = _text(1000, required=True, min_len=1)
    description = _text(10000, load_default="")
    rounds = Codes(ROUNDS, min_items=1, max_items=12, required=True)
    ticket_min = Integer(required=True, validate=Range(min=0, max=10**12), metadata={"description": "CNY"})
    ticket_max = Integer(required=True, validate=Range(min=0, max=10**12), metadata={"description": "CNY"})
    serves = Codes(NEEDS, max_items=18, load_default=lambda: ["financing"])
    capacity = Integer(allow_none=True, load_default=None, validate=Range(min=0, max=10_000))

    @validates_schema
    def _ticket_range(self, data: dict[str, Any], **_: Any) -> None:
        lo, hi = data.get("ticket_min"), data.get("ticket_max")
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError("ticket_min must not exceed ticket_max", field_name="ticket_max")


class ProviderIn(CandidateIn):
    category = Code(PROVIDER_CATEGORIES, required=True)
    services = _text(1000, required=True, min_len=1)
    description = _text(10000, load_default="")
    serves = Codes(NEEDS, min_items=1, max_items=18, required=True)
    price_tier = Code(PRICE_TIERS, load_default="standard")
    capacity = Integer(load_default=10, validate=Range(min=0, max=100_000))


class CandidateOut(ContactOut):
    id = Integer(required=True)
    space_id = Integer(allow_none=True, required=True)
    external_id = String(allow_none=True, metadata={"description": "shown to the space's operators and admins"})
    name = String(required=True)
    industries = List(String(), required=True)
    stages = List(String(), required=True)
    languages = List(String(), required=True)
    city = String(required=True)
    regions = List(String(), required=True)
    active = Boolean(required=True)
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)


class MentorOut(CandidateOut):
    mentor_type = String(required=True)
    title = String(required=True)
    organisation = String(required=True)
    expertise = String(required=True)
    offer = String(required=True)
    bio = String(required=True)
    serves = List(String(), required=True)
    capacity = Integer(required=True)
    load = Integer(required=True, metadata={"description": "accepted introductions still active"})


class InvestorOut(CandidateOut):
    kind = String(required=True)
    thesis = String(required=True)
    description = String(required=True)
    rounds = List(String(), required=True)
    ticket_min = Integer(required=True)
    ticket_max = Integer(required=True)
    serves = List(String(), required=True)
    capacity = Integer(allow_none=True, required=True)


class ProviderOut(CandidateOut):
    category = String(required=True)
    services = String(required=True)
    description = String(required=True)
    serves = List(String(), required=True)
    price_tier = String(required=True)
    capacity = Integer(required=True)
    load = Integer(required=True)


class MentorItem(MentorOut):
    """One item of a list (its own OpenAPI component)."""


class MentorPage(Schema):
    items = List(Nested(MentorItem), required=True)
    meta = Nested(PageMeta, required=True)


class InvestorItem(InvestorOut):
    """One item of a list (its own OpenAPI component)."""


class InvestorPage(Schema):
    items = List(Nested(InvestorItem), required=True)
    meta = Nested(PageMeta, required=True)


class ProviderItem(ProviderOut):
    """One item of a list (its own OpenAPI component)."""


class ProviderPage(Schema):
    items = List(Nested(ProviderItem), required=True)
    meta = Nested(PageMeta, required=True)


# -- matches -----------------------------------------------------------------------------------------------
class MatchQuery(StrictSchema):
    kind = String(required=True, validate=OneOf(("mentor", "investor", "provider")))
    k = Integer(load_default=10, validate=Range(min=1, max=50))
    diversity = Float(validate=Range(min=0.0, max=1.0), metadata={"description": "override the MMR trade-off"})


class DealflowQuery(StrictSchema):
    k = Integer(load_default=20, validate=Range(min=1, max=50))
    round = Code(ROUNDS)
    industry = Code(INDUSTRIES)
    region = RegionCode()


class Reasons(Schema):
    zh = List(String(), required=True)
    en = List(String(), required=True)


class Label(Schema):
    zh = String(required=True)
    en = String(required=True)


class IndustryLabel(Label):
    code = String(required=True)


class SubjectLabels(Schema):
    subtype = Nested(Label, required=True)
    city = Nested(Label, required=True)
    industries = List(Nested(IndustryLabel), required=True)


class MatchSubject(Schema):
    id = Integer(required=True)
    kind = String(required=True)
    name = String(required=True)
    subtype = String(required=True, metadata={"description": "mentor type, investor kind, provider category or "
                                                             "project stage"})
    city = String(required=True)
    industries = List(String(), required=True)
    summary = String(required=True, metadata={"description": "what they offer / what the project does"})
    labels = Nested(SubjectLabels, required=True, metadata={"description": "Chinese and English labels of the codes"})


class MatchOut(Schema):
    position = Integer(required=True)
    impression_id = Integer(required=True)
    score = Float(required=True)
    explored = Boolean(required=True)
    propensity = Float(required=True)
    subject = Nested(MatchSubject, required=True)
    features = Dict(keys=String(), values=Float(), required=True)
    contributions = Dict(keys=String(), values=Float(), required=True,
                         metadata={"description": "per factor; they add up to score"})
    learned_breakdown = Dict(keys=String(), values=Float(), required=True)
    history_breakdown = Dict(keys=String(), values=Float(), required=True, metadata={
        "description": "investors: the investment-history ranker's contribution by group (activity, round, "
                       "region, industry, network, follow_on, company_age, kind); empty otherwise"})
    reasons = Nested(Reasons, required=True)


class MatchList(Schema):
    request_id = String(required=True)
    direction = String(required=True)
    kind = String(required=True)
    query_id = Integer(required=True)
    weight_set_version = Integer(allow_none=True, required=True)
    model_version = Integer(allow_none=True, required=True)
    learned_active = Boolean(required=True)
    eligible = Integer(required=True)
    items = List(Nested(MatchOut), required=True)


# -- intros --------------------------------------------------------------------------------------------------
class IntroIn(StrictSchema):
    project_id = Integer(required=True, validate=Range(min=1, max=MAX_ID))
    candidate_kind = String(required=True, validate=OneOf(("mentor", "investor", "provider")))
    candidate_id = Integer(required=True, validate=Range(min=1, max=MAX_ID))
    message = _text(2000, load_default="")
    impression_id = Integer(allow_none=True, load_default=None, validate=Range(min=1, max=MAX_ID))


class IntroDecision(StrictSchema):
    message = _text(2000, load_default="")


class IntroQuery(PageQuery):
    status = String(validate=OneOf(("pending", "accepted", "declined", "expired", "ended")))


class PartyContact(Schema):
    name = String(allow_none=True)
    email = String(allow_none=True)
    phone = String(allow_none=True)


class IntroOut(Schema):
    id = Integer(required=True)
    space_id = Integer(required=True)
    project_id = Integer(required=True)
    project_name = String(required=True)
    candidate_kind = String(required=True)
    candidate_id = Integer(required=True)
    candidate_name = String(required=True)
    direction = String(required=True, metadata={"description": "project: the founder asked; candidate: the "
                                                              "investor asked from deal flow"})
    status = String(required=True)
    message = String(required=True)
    created_at = DateTime(required=True)
    expires_at = DateTime(required=True)
    decided_at = DateTime(allow_none=True, required=True)
    ended_at = DateTime(allow_none=True, required=True)
    contacts_visible = Boolean(required=True)
    project_contact = Nested(PartyContact, allow_none=True, required=True)
    candidate_contact = Nested(PartyContact, allow_none=True, required=True)


class IntroItem(IntroOut):
    """One item of a list (its own OpenAPI component)."""


class IntroPage(Schema):
    items = List(Nested(IntroItem), required=True)
    meta = Nested(PageMeta, required=True)


# -- feedback -------------------------------------------------------------------------------------------------
FEEDBACK_TYPES = ("viewed", "dismissed", "requested", "accepted", "declined", "met", "rating", "invested")


class FeedbackIn(StrictSchema):
    event_id = String(required=True, validate=[Length(min=8, max=64), Regexp(r"^[A-Za-z0-9._:-]+$")],
                      metadata={"description": "client-chosen idempotency key (e.g. a UUID)"})
    type = String(required=True, validate=OneOf(FEEDBACK_TYPES))
    impression_id = Integer(allow_none=True, load_default=None, validate=Range(min=1, max=MAX_ID))
    intro_id = Integer(allow_none=True, load_default=None, validate=Range(min=1, max=MAX_ID))
    rating = Integer(allow_none=True, load_default=None, validate=Range(min=1, max=5))
    amount = Integer(allow_none=True, load_default=None, validate=Range(min=0, max=10**12))
    notes = _text(2000, load_default="")
    occurred_at = DateTime(allow_none=True, load_default=None)

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("impression_id") is None and data.get("intro_id") is None:
            raise ValidationError("give impression_id or intro_id", field_name="impression_id")
        if data.get("type") == "rating" and data.get("rating") is None:
            raise ValidationError("a rating event needs rating (1-5)", field_name="rating")
        if data.get("type") != "rating" and data.get("rating") is not None:
            raise ValidationError("rating is only for type=rating", field_name="rating")
        occurred = data.get("occurred_at")
        if occurred is not None:
            if occurred.tzinfo is None:
                raise ValidationError("occurred_at needs a timezone", field_name="occurred_at")
            if occurred > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
                raise ValidationError("occurred_at lies in the future", field_name="occurred_at")


class FeedbackOut(Schema):
    id = Integer(required=True)
    event_id = String(required=True)
    type = String(required=True)
    project_id = Integer(required=True)
    candidate_kind = String(required=True)
    candidate_id = Integer(required=True)
    impression_id = Integer(allow_none=True, required=True)
    intro_id = Integer(allow_none=True, required=True)
    rating = Integer(allow_none=True, required=True)
    amount = Integer(allow_none=True, required=True)
    notes = String(required=True)
    occurred_at = DateTime(required=True)
    duplicate = Boolean(required=True, metadata={"description": "true: this event id was already stored"})


# -- operators -----------------------------------------------------------------------------------------------
WEIGHT_KINDS = ("mentor", "investor", "provider", "dealflow")


class WeightsIn(StrictSchema):
    weights = BoundedDict(keys=String(validate=OneOf(WEIGHT_NAMES)),
                          values=Float(validate=Range(min=-WEIGHT_LIMIT, max=WEIGHT_LIMIT), allow_nan=False),
                          validate=Length(max=len(WEIGHT_NAMES), error="at most {max} weights: one per weight name"),
                          required=True, metadata={"description": "missing names keep their current values"})
    diversity = Float(validate=Range(min=0.0, max=1.0), allow_nan=False)
    comment = _text(1000, load_default="")


class WeightSetOut(Schema):
    space_id = Integer(allow_none=True, required=True)
    kind = String(required=True)
    version = Integer(allow_none=True, required=True, metadata={"description": "null: built-in defaults"})
    weights = Dict(keys=String(), values=Float(), required=True)
    diversity = Float(required=True)
    comment = String(required=True)
    created_at = DateTime(allow_none=True, required=True)
    created_by_user_id = Integer(allow_none=True, required=True)


class WeightSetItem(WeightSetOut):
    """One item of a list (its own OpenAPI component)."""


class WeightHistory(Schema):
    items = List(Nested(WeightSetItem), required=True)


class PreviewIn(WeightsIn):
    sample = Integer(load_default=20, validate=Range(min=1, max=200))
    k = Integer(load_default=10, validate=Range(min=1, max=50))
    project_ids = BoundedList(Integer(validate=Range(min=1, max=MAX_ID)), validate=Length(max=200))


class PreviewMove(Schema):
    id = Integer(required=True)
    name = String(required=True)
    before = Integer(allow_none=True, required=True)
    after = Integer(allow_none=True, required=True)


class PreviewProject(Schema):
    project_id = Integer(required=True)
    project_name = String(required=True)
    current = List(Integer(), required=True)
    proposed = List(Integer(), required=True)
    overlap = Float(required=True)
    moves = List(Nested(PreviewMove), required=True)


class OfflineMetrics(Schema):
    lists = Integer(required=True, metadata={"description": "logged lists with outcomes replayed"})
    current = Dict(keys=String(), values=Float(), required=True)
    proposed = Dict(keys=String(), values=Float(), required=True)


class PreviewOut(Schema):
    kind = String(required=True)
    k = Integer(required=True)
    projects = List(Nested(PreviewProject), required=True)
    mean_overlap = Float(required=True)
    mean_rank_shift = Float(required=True)
    offline = Nested(OfflineMetrics, required=True)


class AllocationIn(StrictSchema):
    kind = String(load_default="mentor", validate=OneOf(("mentor", "investor", "provider")))
    project_ids = BoundedList(Integer(validate=Range(min=1, max=MAX_ID)), validate=Length(max=20000))
    candidate_ids = BoundedList(Integer(validate=Range(min=1, max=MAX_ID)), validate=Length(max=20000))
    per_project = Integer(load_default=1, validate=Range(min=1, max=5))
    cover = Boolean(load_default=True, metadata={"description": "every project gets a match when feasible"})
    candidates_per_project = Integer(load_default=30, validate=Range(min=1, max=200))


class AllocationPair(Schema):
    project_id = Integer(required=True)
    project_name = String(required=True)
    candidate_id = Integer(required=True)
    candidate_name = String(required=True)
    score = Float(required=True)


class AllocationOut(Schema):
    kind = String(required=True)
    pairs = List(Nested(AllocationPair), required=True)
    total_score = Float(required=True)
    unassigned = List(Integer(), required=True)
    load = Dict(keys=String(), values=Integer(), required=True)
    capacity_violations = Integer(required=True)
    seconds = Float(required=True)


class PairIn(StrictSchema):
    project_id = Integer(required=True, validate=Range(min=1, max=MAX_ID))
    candidate_id = Integer(required=True, validate=Range(min=1, max=MAX_ID))


class AllocationIntrosIn(StrictSchema):
    kind = String(required=True, validate=OneOf(("mentor", "investor", "provider")))
    pairs = BoundedList(Nested(PairIn), required=True, validate=Length(min=1, max=2000))
    message = _text(500, load_default="")
    dry_run = Boolean(load_default=False, metadata={"description": "say what would be created; create nothing"})


class PairResult(Schema):
    project_id = Integer(required=True)
    candidate_id = Integer(required=True)
    intro_id = Integer(allow_none=True, required=True)
    skipped = String(allow_none=True, required=True, metadata={"description": "why no intro was (or would be) made"})


class AllocationIntrosOut(Schema):
    dry_run = Boolean(required=True)
    created = Integer(required=True)
    skipped = Integer(required=True)
    pairs = List(Nested(PairResult), required=True)


class MetricsQuery(StrictSchema):
    since = Date(allow_none=True, load_default=None)


class MentorOutcome(Schema):
    mentor_id = Integer(required=True)
    name = String(required=True)
    load = Integer(required=True)
    capacity = Integer(required=True)
    accepted = Integer(required=True)
    met = Integer(required=True)
    mean_rating = Float(allow_none=True, required=True)
    invested = Integer(required=True)


class SeriesPoint(Schema):
    period = String(required=True)
    requested = Integer(required=True)
    accepted = Integer(required=True)
    rate = Float(allow_none=True, required=True)


class MetricsOut(Schema):
    space_id = Integer(required=True)
    projects = Integer(required=True)
    intros = Dict(keys=String(), values=Integer(), required=True)
    intro_acceptance = Float(allow_none=True, required=True)
    median_hours_to_accept = Float(allow_none=True, required=True)
    financing_conversion = Float(allow_none=True, required=True, metadata={
        "description": "投融资转化率: financing-seeking projects that were invested"})
    financing_projects = Integer(required=True)
    invested_projects = Integer(required=True)
    coverage = Float(allow_none=True, required=True,
                     metadata={"description": "share of active projects with an accepted introduction"})
    projects_without_accepted_intro = List(Integer(), required=True)
    mentor_load = Dict(keys=String(), values=Integer(), required=True,
                       metadata={"description": "histogram: load -> number of mentors"})
    mentor_load_gini = Float(required=True)
    mentors = List(Nested(MentorOutcome), required=True)
    acceptance_over_time = List(Nested(SeriesPoint), required=True)


class ImportIn(StrictSchema):
    kind = String(required=True, validate=OneOf(("project", "mentor", "investor", "provider")))


class ImportRowError(Schema):
    line = Integer(required=True)
    field = String(required=True)
    message = String(required=True)


class ImportRowPlan(Schema):
    line = Integer(required=True)
    action = String(required=True, metadata={"enum": ["create", "update", "refused"]})
    id = Integer(allow_none=True, required=True, metadata={"description": "the profile a row updates"})
    external_id = String(allow_none=True, required=True)
    errors = List(Nested(ImportRowError), required=True)


class ImportOut(Schema):
    kind = String(required=True)
    dry_run = Boolean(required=True, metadata={"description": "true: nothing was written"})
    created = Integer(required=True)
    updated = Integer(required=True)
    refused = Integer(required=True, metadata={"description": "0 unless a dry run (a real run is all or nothing)"})
    ignored_columns = List(String(), required=True, metadata={"description": "headers that name no field"})
    ids = List(Integer(), required=True, metadata={"description": "the profiles written, in row order"})
    rows = List(Nested(ImportRowPlan), metadata={"description": "dry run: what each row would do"})


class HealthOut(Schema):
    status = String(required=True)
    checks = Dict(keys=String(), values=String(), required=True)


class MeOut(Schema):
    user_id = Integer(required=True)
    role = String(required=True)
    space_id = Integer(allow_none=True, required=True)
    profile_kind = String(allow_none=True, required=True)
    profile_id = Integer(allow_none=True, required=True)
    name = String(required=True)


# -- growth records (成长档案) ----------------------------------------------------------------------------------
REVENUE_BANDS = ("none", "lt_1m", "1m_10m", "10m_50m", "50m_plus")  # annual revenue, CNY
GROWTH_CATEGORIES = ("product", "customers", "revenue", "team", "award", "other")
INCUBATION_STATUSES = ("incubating", "graduated", "closed")


def _past_date(value: dt.date | None) -> None:
    if value is not None and (value > dt.date.today() + dt.timedelta(days=1) or value.year < 1980):
        raise ValidationError("must be a date between 1980 and today")


class MilestoneIn(StrictSchema):
    occurred_on = Date(required=True, validate=_past_date)
    category = String(required=True, validate=OneOf(GROWTH_CATEGORIES))
    title = _text(200, required=True, min_len=1)
    detail = _text(5000, load_default="")
    revenue_band = String(allow_none=True, load_default=None, validate=OneOf(REVENUE_BANDS),
                          metadata={"description": "annual revenue band, CNY: none, <1m, 1-10m, 10-50m, 50m+"})
    team_size = Integer(allow_none=True, load_default=None, validate=Range(min=0, max=1_000_000))


class MilestoneOut(Schema):
    id = Integer(required=True)
    occurred_on = Date(required=True)
    category = String(required=True)
    title = String(required=True)
    detail = String(required=True)
    revenue_band = String(allow_none=True, required=True)
    team_size = Integer(allow_none=True, required=True)
    created_at = DateTime(required=True)


class RoundIn(StrictSchema):
    round = Code(ROUNDS, required=True)
    amount = Integer(allow_none=True, load_default=None, validate=Range(min=0, max=10**12),
                     metadata={"description": "CNY; null when undisclosed"})
    closed_on = Date(required=True, validate=_past_date)
    investor_ids = List(Integer(validate=Range(min=1, max=MAX_ID)), load_default=list, validate=Length(max=20),
                        metadata={"description": "Huoban investors in the round: each gets a portfolio row"})
    investor_names = List(_text(200, min_len=1), load_default=list, validate=Length(max=20),
                          metadata={"description": "other investors, by name"})
    notes = _text(2000, load_default="")


class RoundInvestor(Schema):
    id = Integer(required=True)
    name = String(required=True)


class RoundOut(Schema):
    id = Integer(required=True)
    round = String(required=True)
    amount = Integer(allow_none=True, required=True)
    closed_on = Date(required=True)
    investors = List(Nested(RoundInvestor), required=True)
    investor_names = List(String(), required=True)
    notes = String(required=True)
    after_intro_id = Integer(allow_none=True, required=True, metadata={
        "description": "the first accepted investor introduction through Huoban before the close, if any"})
    created_at = DateTime(required=True)


class MilestoneItem(MilestoneOut):
    """A milestone in a growth record (its own OpenAPI component)."""


class RoundItem(RoundOut):
    """A round in a growth record (its own OpenAPI component)."""


class IncubationIn(StrictSchema):
    status = String(required=True, validate=OneOf(INCUBATION_STATUSES))
    on = Date(load_default=None, validate=_past_date, metadata={"description": "when it took effect (default today)"})
    note = _text(500, load_default="")


class ChangeOut(Schema):
    field = String(required=True)
    old_value = String(allow_none=True, required=True)
    new_value = String(required=True)
    changed_on = Date(required=True)
    note = String(required=True)


class GrowthOut(Schema):
    project_id = Integer(required=True)
    name = String(required=True)
    stage = String(required=True)
    incubation_status = String(required=True)
    incubated_on = Date(required=True, metadata={"description": "the day it entered the space"})
    milestones = List(Nested(MilestoneItem), required=True)
    rounds = List(Nested(RoundItem), required=True)
    changes = List(Nested(ChangeOut), required=True)
    raised_total = Integer(required=True, metadata={"description": "disclosed amounts of closed rounds, CNY"})


class ReportQuery(StrictSchema):
    from_ = Date(data_key="from", load_default=None, metadata={"description": "first day (default: 1 January)"})
    to = Date(load_default=None, metadata={"description": "last day, included (default: today)"})
    format = String(load_default="json", validate=OneOf(("json", "xlsx")))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("from_"), data.get("to")
        for name, day in (("from", start), ("to", end)):
            if day is not None and not 1990 <= day.year <= 2100:
                raise ValidationError("must be a date between 1990 and 2100", field_name=name)
        if start and end and start > end:
            raise ValidationError("must not be after to", field_name="from")
        if start and end and (end - start).days > 3660:
            raise ValidationError("at most ten years", field_name="to")


class ReportFigure(Schema):
    key = String(required=True)
    value = Float(allow_none=True, required=True)
    zh = String(required=True)
    en = String(required=True)
    definition_zh = String(required=True)
    definition_en = String(required=True)


class ReportRound(Schema):
    project = String(required=True)
    round = String(required=True)
    round_zh = String(required=True)
    amount = Integer(allow_none=True, required=True)
    closed_on = Date(required=True)
    after_introduction = Boolean(required=True)


class ReportCategory(Schema):
    category = String(required=True)
    zh = String(required=True)
    engagements = Integer(required=True)


class ReportMonth(Schema):
    month = String(required=True)
    requested = Integer(required=True)
    accepted = Integer(required=True)
    rounds = Integer(required=True)


class ReportOut(Schema):
    space_id = Integer(required=True)
    from_ = Date(data_key="from", required=True)
    to = Date(required=True)
    figures = List(Nested(ReportFigure), required=True)
    providers_by_category = List(Nested(ReportCategory), required=True)
    milestones_by_category = Dict(keys=String(), values=Integer(), required=True)
    rounds = List(Nested(ReportRound), required=True)
    monthly = List(Nested(ReportMonth), required=True)
