// After htmx swaps in results or errors, move focus there so screen readers announce it.
document.body.addEventListener('htmx:afterSettle', function (event) {
  var target = event.detail.elt.querySelector('.nhsuk-error-summary') || document.getElementById('results-heading')
  if (target) { target.focus() }
})
