"""A radio group that screen readers announce as one: a fieldset named by its question.

ipywidgets' own choices do not make a group: ``ToggleButtons`` are separate buttons, and
``RadioButtons`` draws radio inputs without a shared ``name``, so arrow keys do not move between
them and nothing names the set. This is a small anywidget (its JavaScript travels with the
widget; nothing is fetched) drawing native HTML::

    <fieldset role="radiogroup"><legend>{question}</legend>
      <label><input type="radio" name="..."> Rarely</label> ...

so Tab enters and leaves the group, the arrow keys move the choice, Space picks, and the
question is the group's accessible name.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["RadioGroup"]

_ESM = r"""
let counter = 0;
function render({ model, el }) {
  const name = "kit-radio-" + (++counter) + "-" + Math.random().toString(36).slice(2, 8);
  const fieldset = document.createElement("fieldset");
  fieldset.className = "kit-radio-group";
  fieldset.setAttribute("role", "radiogroup");
  const legend = document.createElement("legend");
  legend.className = "kit-radio-legend";
  legend.id = name + "-legend";
  const hint = document.createElement("div");
  hint.className = "kit-radio-hint";
  hint.id = name + "-hint";
  const row = document.createElement("div");
  row.className = "kit-radio-options";
  fieldset.append(legend, hint, row);
  el.appendChild(fieldset);

  function drawLegend() {
    legend.textContent = "";
    const number = model.get("number");
    if (number) {
      const n = document.createElement("span");
      n.className = "kit-radio-number";
      n.setAttribute("aria-hidden", "true");
      n.textContent = number + " ";
      legend.appendChild(n);
    }
    legend.appendChild(document.createTextNode(model.get("description")));
    legend.hidden = !model.get("show_legend");
    if (!model.get("show_legend")) {
      fieldset.setAttribute("aria-label", model.get("description"));
    } else {
      fieldset.removeAttribute("aria-label");
    }
    const text = model.get("hint");
    hint.textContent = text;
    hint.hidden = !text;
    if (text) fieldset.setAttribute("aria-describedby", hint.id);
    else fieldset.removeAttribute("aria-describedby");
  }
  function drawOptions() {
    row.textContent = "";
    const tips = model.get("tooltips") || [];
    model.get("_labels").forEach((text, i) => {
      const label = document.createElement("label");
      label.className = "kit-radio-option";
      if (tips[i] && tips[i] !== text) label.title = tips[i];
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = String(i);
      input.addEventListener("change", () => {
        if (input.checked) {
          model.set("index", i);
          model.save_changes();
        }
      });
      const span = document.createElement("span");
      span.textContent = text;
      label.append(input, span);
      row.appendChild(label);
    });
    drawState();
  }
  function drawState() {
    const index = model.get("index");
    const disabled = model.get("disabled");
    row.querySelectorAll("input").forEach((input, i) => {
      input.checked = index === i;
      input.disabled = disabled;
    });
  }
  drawLegend();
  drawOptions();
  model.on("change:description", drawLegend);
  model.on("change:number", drawLegend);
  model.on("change:hint", drawLegend);
  model.on("change:show_legend", drawLegend);
  model.on("change:_labels", drawOptions);
  model.on("change:tooltips", drawOptions);
  model.on("change:index", drawState);
  model.on("change:disabled", drawState);
}
export default { render };
"""

_CSS = r"""
.kit-radio-group { border: 0; margin: 0.2em 0 0.6em; padding: 0; min-width: 0; }
.kit-radio-legend { padding: 0; margin-bottom: 0.3em; font-weight: 600; color: #1b1b1b; }
.kit-radio-hint { color: #3d3d3d; font-size: max(12px, 0.9em); margin-bottom: 0.3em; }
.kit-radio-options { display: flex; flex-wrap: wrap; gap: 0.4em; }
.kit-radio-option {
  display: inline-flex; align-items: center; gap: 0.35em; cursor: pointer;
  border: 2px solid #505a5f; border-radius: 4px; padding: 0.3em 0.7em;
  background: #fff; color: #1b1b1b; line-height: 1.4;
}
.kit-radio-option input { margin: 0; width: 1.1em; height: 1.1em; accent-color: #0b5a8c; }
.kit-radio-option:has(input:checked) {
  background: #0b5a8c; border-color: #0b5a8c; color: #fff; font-weight: 600;
}
.kit-radio-option:has(input:focus-visible) { outline: 3px solid #1b1b1b; outline-offset: 2px;
  box-shadow: 0 0 0 5px #ffdd00; }
.kit-radio-option:has(input:disabled) { opacity: 0.6; cursor: not-allowed; }
.kit-missing .kit-radio-group { border-left: 4px solid #b23a00; padding-left: 0.5em; }
"""


class RadioGroup(anywidget.AnyWidget):
    """One question answered by one choice of several, as a native radio group.

    Parameters
    ----------
    options : list of (label, value)
        The choices in order; ``value`` is what :attr:`value` holds when it is picked.
    description : str
        The question: the group's visible legend and its accessible name.
    number : str, optional
        Shown before the question (``"3."``) but not read out as part of its name.
    hint : str, optional
        Extra words read after the name (``aria-describedby``).
    show_legend : bool
        ``False`` hides the legend (the question is already shown just above) but keeps it as
        the group's name.

    ``value`` is ``None`` until something is picked; a value not among the options, or an
    ``index`` out of range from the browser, is refused with :class:`traitlets.TraitError`.

    Examples
    --------
    >>> g = RadioGroup(options=[("Rarely", 1), ("Often", 2)], description="I listen")
    >>> g.value = 2
    >>> g.index
    1
    """

    _esm = _ESM
    _css = _CSS

    _labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    index = traitlets.Int(None, allow_none=True).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    number = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    show_legend = traitlets.Bool(True).tag(sync=True)
    tooltips = traitlets.List(traitlets.Unicode()).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    value = traitlets.Any(None)

    def __init__(self, options, value=None, **kwargs):
        self._options = [(str(label), v) for label, v in options]
        super().__init__(_labels=[label for label, _v in self._options], **kwargs)
        if value is not None:
            self.value = value

    @property
    def options(self) -> tuple[tuple[str, object], ...]:
        return tuple(self._options)

    @traitlets.validate("index")
    def _check_index(self, proposal):
        i = proposal["value"]
        if i is not None and not 0 <= i < len(self._options):
            raise traitlets.TraitError(
                f"choice {i} is not one of the {len(self._options)} choices of {self.description!r}")
        return i

    @traitlets.validate("value")
    def _check_value(self, proposal):
        v = proposal["value"]
        if v is not None and v not in [o[1] for o in self._options]:
            raise traitlets.TraitError(
                f"{v!r} is not a choice of {self.description!r}: "
                f"choose one of {[o[1] for o in self._options]}")
        return v

    @traitlets.observe("index")
    def _index_changed(self, change):
        i = change["new"]
        new = None if i is None else self._options[i][1]
        if self.value != new or (new is None and self.value is not None):
            self.value = new

    @traitlets.observe("value")
    def _value_changed(self, change):
        v = change["new"]
        i = None if v is None else [o[1] for o in self._options].index(v)
        if self.index != i:
            self.index = i
