"""Repairing the page's state from a shared link (query parameters).

Streamlit's ``bind="query-params"`` seeds the sliders from the URL: it silently drops
values it cannot parse or that lie outside the slider, and passes a reversed or empty
range through as it is. These pure functions say what the page should do instead, with
a short notice for the student. Notices never echo the raw text of the URL: only
numbers the page formatted itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from relulab.catalogue import LEAK

# The leak slider's, from its record (the lab's leak takes the same bounds and step).
LEAK_BOUNDS = (LEAK.min, LEAK.max)
LEAK_STEP = LEAK.step
LEAK_DEFAULT = LEAK.default
X_BOUNDS = (-60.0, 60.0)  # wide enough for every article value, 50.2 included
X_STEP = 0.5
X_DEFAULT = (-5.0, 5.0)


@dataclass(frozen=True)
class Repair:
    """A value for the widget (or None to keep what it has) and a notice to show."""

    value: object
    notice: str


def parse_number(text: str) -> float | None:
    """A finite float from URL text, or None. Accepts what ``float`` accepts.

    >>> parse_number("0.25"), parse_number("abc"), parse_number("nan"), parse_number("1e309")
    (0.25, None, None, None)
    """
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _snap(value: float, step: float) -> float:
    return round(round(value / step) * step, 10)


def check_number(
    name: str, raw: list[str], got: float, bounds: tuple[float, float], step: float
) -> Repair | None:
    """What to do about the numeric slider ``name`` (the leak, a catalogue parameter)
    given the URL's raw values and the slider's value ``got``.

    >>> leak = ("leak", (0.0, 1.0), 0.01)
    >>> check_number(leak[0], [], 0.1, *leak[1:]) is None
    True
    >>> check_number(leak[0], ["0.25"], 0.25, *leak[1:]) is None
    True
    >>> check_number(leak[0], ["abc"], 0.1, *leak[1:]).notice
    'The link’s leak is not a finite number; using 0.1.'
    >>> check_number(leak[0], ["0.123"], 0.123, *leak[1:])
    Repair(value=0.12, notice='The link’s leak 0.123 was rounded to the slider step: 0.12.')
    >>> check_number("alpha", ["9"], 1.0, (0.0, 3.0), 0.05).notice
    'The link’s alpha 9 is outside 0–3; using 1.'
    """
    if not raw:
        return None
    lo, hi = bounds
    value = parse_number(raw[0]) if len(raw) == 1 else None
    if len(raw) != 1:
        return Repair(None, f"The link gives {name} {len(raw)} times; using {got:g}.")
    if value is None:
        return Repair(None, f"The link’s {name} is not a finite number; using {got:g}.")
    if not lo <= value <= hi:
        return Repair(None, f"The link’s {name} {value:g} is outside {lo:g}–{hi:g}; using {got:g}.")
    snapped = round(min(max(_snap(value - lo, step) + lo, lo), hi), 10)
    if snapped == value:
        return None
    return Repair(
        snapped, f"The link’s {name} {value:g} was rounded to the slider step: {snapped:g}."
    )


def repair_range(lo: float, hi: float) -> tuple[tuple[float, float], str | None]:
    """A usable x-range from two numbers: sorted, snapped to the step, not empty; and
    what was done (None: nothing).

    >>> repair_range(-3.0, 3.0), repair_range(5.0, -5.0)
    (((-3.0, 3.0), None), ((-5.0, 5.0), 'reversed'))
    >>> repair_range(0.0, 0.0)[0], repair_range(60.0, 60.0)[0]
    ((-1.0, 1.0), (58.0, 60.0))
    """
    bmin, bmax = X_BOUNDS
    notes = []
    if lo > hi:
        lo, hi = hi, lo
        notes.append("reversed")
    if (_snap(lo, X_STEP), _snap(hi, X_STEP)) != (lo, hi):
        lo, hi = _snap(lo, X_STEP), _snap(hi, X_STEP)
        notes.append("rounded to the slider step")
    if hi - lo < 2 * X_STEP:
        mid = min(max((lo + hi) / 2, bmin + 1.0), bmax - 1.0)
        lo, hi = _snap(mid - 1.0, X_STEP), _snap(mid + 1.0, X_STEP)
        notes.append("too narrow to draw")
    return (max(lo, bmin), min(hi, bmax)), " and ".join(notes) or None


def check_x_range(raw: list[str], got: tuple[float, float]) -> Repair | None:
    """What to do about ``x_range`` given the URL's raw values and the slider's value.

    >>> check_x_range(["5", "-5"], (5.0, -5.0)).value
    (-5.0, 5.0)
    >>> check_x_range(["2"], (-5.0, 5.0)).notice
    'The link’s x-range needs two numbers (x_range=a&x_range=b); using -5 to 5.'
    """
    using = f"using {got[0]:g} to {got[1]:g}"
    if not raw:
        fixed, why = repair_range(*got)
        return None if why is None else Repair(fixed, f"The x-range was {why}.")
    if len(raw) != 2:
        return Repair(None, f"The link’s x-range needs two numbers (x_range=a&x_range=b); {using}.")
    values = [parse_number(r) for r in raw]
    if None in values:
        return Repair(None, f"The link’s x-range is not two numbers; {using}.")
    bmin, bmax = X_BOUNDS
    if any(not bmin <= v <= bmax for v in values):
        shown = " to ".join(f"{v:g}" for v in values)
        return Repair(None, f"The link’s x-range {shown} goes beyond {bmin:g}…{bmax:g}; {using}.")
    fixed, why = repair_range(*values)
    if why is None:
        return None
    return Repair(fixed, f"The link’s x-range was {why}; showing {fixed[0]:g} to {fixed[1]:g}.")


def match_choice(text: str, options: list[str]) -> str | None:
    """The option ``text`` names, ignoring case and surrounding spaces, or None.

    >>> match_choice(" ELU ", ["relu", "elu"]), match_choice("elux", ["relu", "elu"])
    ('elu', None)
    """
    wanted = text.strip().casefold()
    return next((o for o in options if o.casefold() == wanted), None)


def check_choice(name: str, raw: list[str], options: list[str], using: str) -> Repair | None:
    """A URL choice (``act``, ``kink``) must be one of ``options`` (in any case); the raw
    text is never shown back.

    >>> check_choice("act", ["<b>x</b>"], ["relu", "elu"], "ReLU").notice
    'The link’s act is not one of the choices here; showing ReLU.'
    >>> check_choice("act", ["ELU"], ["relu", "elu"], "ELU") is None
    True
    """
    if raw and (len(raw) != 1 or match_choice(raw[0], options) is None):
        return Repair(None, f"The link’s {name} is not one of the choices here; showing {using}.")
    return None


def check_flag(name: str, raw: list[str]) -> tuple[bool, Repair | None]:
    """An on/off URL value (``present=1``): the setting, and a notice if it was unclear.

    >>> check_flag("present", ["TRUE"]), check_flag("present", ["0"]), check_flag("present", [])
    ((True, None), (False, None), (False, None))
    >>> check_flag("present", ["<b>"])
    (False, Repair(value=None, notice='The link’s present is not 1 or 0; left off.'))
    """
    text = raw[0].strip().lower() if len(raw) == 1 else None
    if not raw or text in ("0", "false", "no", "off"):
        return False, None
    if text in ("1", "true", "yes", "on"):
        return True, None
    return False, Repair(None, f"The link’s {name} is not 1 or 0; left off.")


@dataclass
class Link:
    """A shared link's one trip through the page: read once, checked, repaired, noticed.

    The page reads the address bar's values once, on a session's first run
    (:meth:`values`), before any widget exists (a URL-bound widget silently drops what
    it cannot use). Each check that finds a problem records its :class:`Repair`
    (:meth:`check`). :meth:`settle` then turns the repairs into notices and into values
    the widgets must take; those are applied on a rerun, before the widgets exist
    (:meth:`take_pending`), because on a rerun a value set in session state wins over
    the URL. The notices stay until the student changes the view (:meth:`notices_at`).

    >>> link = Link({"leak": ["abc"], "act": ["elu"]})
    >>> link.values("leak"), link.values("kink")
    (['abc'], [])
    >>> link.check("leak", check_number("leak", link.values("leak"), 0.1, LEAK_BOUNDS, LEAK_STEP))
    >>> link.settle()  # nothing for the widget to take: the slider kept its default
    False
    >>> link.values("leak")  # read once
    []
    >>> link.notices_at(("relu", 0.1))
    ['The link’s leak is not a finite number; using 0.1.']
    >>> link.notices_at(("relu", 0.2))  # the student moved on
    []
    """

    raw: dict[str, list[str]]
    unread: bool = True
    found: dict[str, Repair] = field(default_factory=dict)
    pending: dict[str, object] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    shown_for: object = None

    def values(self, key: str) -> list[str]:
        """The link's raw values for ``key``, until the link has been settled."""
        return list(self.raw.get(key, [])) if self.unread else []

    def check(self, key: str, repair: Repair | None) -> None:
        if repair is not None:
            self.found[key] = repair

    def settle(self) -> bool:
        """Done reading: repairs become notices; True if widgets must take new values
        (the caller reruns the page, and :meth:`take_pending` applies them)."""
        self.unread = False
        if not self.found:
            return False
        self.notices = [r.notice for r in self.found.values()]
        self.shown_for = None
        self.pending = {k: r.value for k, r in self.found.items() if r.value is not None}
        self.found = {}
        return bool(self.pending)

    def take_pending(self) -> dict[str, object]:
        pending, self.pending = self.pending, {}
        return pending

    def notices_at(self, state: object) -> list[str]:
        """The notices to show with the page in ``state``; once ``state`` differs from
        the one they were first shown at, they are gone."""
        if self.shown_for is None and self.notices:
            self.shown_for = state
        if self.shown_for != state:
            self.notices = []
        return list(self.notices)
