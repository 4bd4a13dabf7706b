// Send the CSRF token with every htmx request (the token is in a <meta> of the base template).
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
});

// Error answers are swapped too: the server renders every error for the person who caused it
// (a form with its field errors in place, or a message in the page's alert box).
htmx.config.responseHandling = [
  {code: "204", swap: false},
  {code: "[23]..", swap: true},
  {code: "[45]..", swap: true, error: true}
];

// A new request clears the alert of the previous one.
document.addEventListener("htmx:beforeRequest", function () {
  var alerts = document.getElementById("alerts");
  if (alerts) { alerts.innerHTML = ""; }
});
