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
