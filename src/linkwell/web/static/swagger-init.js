// Starts Swagger UI on /docs (a static file: the Content-Security-Policy refuses inline script).
(function () {
  var element = document.getElementById('swagger-ui')
  if (!element || !window.SwaggerUIBundle) return
  // Swagger UI draws a <main> of its own inside the page's; one main landmark per page.
  new MutationObserver(function () {
    element.querySelectorAll('main:not([role])').forEach(function (main) {
      main.setAttribute('role', 'none')
    })
  }).observe(element, { childList: true, subtree: true })
  window.SwaggerUIBundle({
    url: element.getAttribute('data-openapi-url'),
    domNode: element,
    deepLinking: true,
    // No "Try it out" requests to other hosts and no link to the online validator.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis]
  })
})()
