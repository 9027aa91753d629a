// Behaviour shared by the pages, as listeners rather than on…= attributes, so that the
// Content-Security-Policy allows no inline script but the nonce-marked ones
// (docs/decisions/0009-content-security-policy.md).

// A picker's button fills a form field with the chosen id:
// <button data-fill="FIELD_ID" data-value="42" [data-fill-change]>. With data-fill-change
// the field announces the change (htmx requests listening on the form run again).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-fill]");
  if (!button) return;
  const field = document.getElementById(button.dataset.fill);
  if (!field) return;
  field.value = button.dataset.value;
  if (button.hasAttribute("data-fill-change")) {
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
});

// The main menu's groups (<details class="nav-group">, base.html) close on a click
// elsewhere or on Escape (which gives the focus back to the group's summary).
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.nav-group[open]").forEach(function (group) {
    if (!group.contains(event.target)) group.open = false;
  });
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  const open = document.querySelector("details.nav-group[open]");
  if (!open) return;
  open.open = false;
  open.querySelector("summary").focus();
});

// A table wider than the screen scrolls sideways inside its box (.table-responsive): the
// box then takes the keyboard's focus, so that it can be scrolled without a mouse.
function focusableScrollers() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSettle", focusableScrollers);
