// Pickers by name (onehome/core/pickers.py): a text box with role=combobox suggests
// records from the server as the user types; choosing one (click, or arrow keys and
// Enter) puts its value into the hidden input the form submits and its label into the box.
// Typing again clears the value. The box itself is submitted too (<name>_text): with no
// value chosen (or no JavaScript), the server accepts the text only if it names exactly one.
(function () {
  "use strict";

  const DELAY = 250;

  function parts(root) {
    return {
      box: root.querySelector("[data-picker-box]"),
      value: root.querySelector("[data-picker-value]"),
      list: root.querySelector('[role="listbox"]'),
      code: root.querySelector("[data-picker-code]"),
    };
  }

  function options(list) {
    return Array.from(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  }

  function close(root) {
    const p = parts(root);
    p.list.hidden = true;
    p.box.setAttribute("aria-expanded", "false");
    p.box.removeAttribute("aria-activedescendant");
  }

  function setActive(root, index) {
    const p = parts(root);
    const items = options(p.list);
    items.forEach(function (item, i) {
      const on = i === index;
      item.classList.toggle("active", on);
      item.setAttribute("aria-selected", on ? "true" : "false");
      if (on) {
        p.box.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      }
    });
    if (index < 0) p.box.removeAttribute("aria-activedescendant");
  }

  function activeIndex(root) {
    return options(parts(root).list).findIndex(function (item) {
      return item.classList.contains("active");
    });
  }

  function setValue(root, value, label) {
    const p = parts(root);
    const changed = p.value.value !== value;
    p.value.value = value;
    p.box.value = label;
    if (changed) p.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function choose(root, item) {
    const p = parts(root);
    setValue(root, item.dataset.value, item.dataset.label);
    if (p.code) p.code.textContent = codeText(root, item.dataset.value);
    close(root);
    // A village chosen first fills the sub-district picker it lies in.
    const parent = root.dataset.pickerParent && document.getElementById(root.dataset.pickerParent);
    if (parent && item.dataset.parentValue) {
      const parentRoot = parent.closest("[data-picker]");
      if (parentRoot && parent.value !== item.dataset.parentValue) {
        setValue(parentRoot, item.dataset.parentValue, item.dataset.parentLabel || "");
        const pc = parts(parentRoot).code;
        if (pc) pc.textContent = codeText(parentRoot, item.dataset.parentValue);
      }
    }
  }

  function codeText(root, value) {
    // Area pickers show the code under the box ("รหัส 570101"); others show nothing.
    const label = root.dataset.pickerCodeLabel;
    return label && value ? label + " " + value : "";
  }

  function search(root, text) {
    const p = parts(root);
    const url = new URL(root.dataset.pickerUrl, window.location.href);
    url.searchParams.set("q", text);
    const within = root.dataset.pickerWithin && document.getElementById(root.dataset.pickerWithin);
    if (within && within.value) url.searchParams.set("within", within.value);
    const ticket = (root._ticket = (root._ticket || 0) + 1);
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (ticket !== root._ticket) return; // a later search answered first
        p.list.innerHTML = html;
        p.list.querySelectorAll('[role="option"]').forEach(function (item, i) {
          item.id = p.box.id + "_opt" + i;
        });
        p.list.hidden = !html.trim();
        p.box.setAttribute("aria-expanded", p.list.hidden ? "false" : "true");
        setActive(root, -1);
      })
      .catch(function () {
        close(root);
      });
  }

  function wanted(root, text) {
    const min = parseInt(root.dataset.pickerMin || "2", 10);
    return text.length >= min || (text.length === 0 && root.hasAttribute("data-picker-suggest"));
  }

  document.addEventListener("input", function (event) {
    const box = event.target.closest("[data-picker-box]");
    if (!box) return;
    const root = box.closest("[data-picker]");
    const p = parts(root);
    if (p.value.value) {
      p.value.value = "";
      if (p.code) p.code.textContent = "";
      p.value.dispatchEvent(new Event("change", { bubbles: true }));
    }
    clearTimeout(root._timer);
    const text = box.value.trim();
    if (!wanted(root, text)) {
      close(root);
      return;
    }
    root._timer = setTimeout(function () {
      search(root, text);
    }, DELAY);
  });

  document.addEventListener("focusin", function (event) {
    const box = event.target.closest && event.target.closest("[data-picker-box]");
    if (!box) return;
    const root = box.closest("[data-picker]");
    if (!box.value && root.hasAttribute("data-picker-suggest")) search(root, "");
  });

  document.addEventListener("keydown", function (event) {
    const box = event.target.closest && event.target.closest("[data-picker-box]");
    if (!box) return;
    const root = box.closest("[data-picker]");
    const p = parts(root);
    const items = options(p.list);
    const open = !p.list.hidden;
    const index = activeIndex(root);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) {
        if (wanted(root, box.value.trim())) search(root, box.value.trim());
        return;
      }
      setActive(root, items.length ? (index + 1) % items.length : -1);
    } else if (event.key === "ArrowUp") {
      if (!open) return;
      event.preventDefault();
      setActive(root, items.length ? (index <= 0 ? items.length - 1 : index - 1) : -1);
    } else if (event.key === "Enter") {
      if (!open) return; // Enter in a closed box submits the form as usual
      event.preventDefault();
      const item = items[index >= 0 ? index : 0];
      if (item && (index >= 0 || items.length === 1)) choose(root, item);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close(root);
    }
  });

  // mousedown rather than click: the box's blur must not close the list first.
  document.addEventListener("mousedown", function (event) {
    const item = event.target.closest && event.target.closest(".picker-list [role='option']");
    if (item && item.getAttribute("aria-disabled") !== "true") {
      event.preventDefault();
      choose(item.closest("[data-picker]"), item);
    }
  });

  document.addEventListener("focusout", function (event) {
    const box = event.target.closest && event.target.closest("[data-picker-box]");
    if (!box) return;
    const root = box.closest("[data-picker]");
    setTimeout(function () {
      if (document.activeElement !== box) close(root);
    }, 150);
  });

  // A sub-district chosen anew empties the village picker that lay in another one.
  document.addEventListener("change", function (event) {
    const hidden = event.target.closest && event.target.closest("[data-picker-value]");
    if (!hidden || !hidden.id) return;
    document.querySelectorAll('[data-picker-within="' + hidden.id + '"]').forEach(function (root) {
      const p = parts(root);
      if (p.value.value && !p.value.value.startsWith(hidden.value)) {
        setValue(root, "", "");
        if (p.code) p.code.textContent = "";
      }
    });
  });
})();
