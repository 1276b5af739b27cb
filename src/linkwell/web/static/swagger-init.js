// Starts Swagger UI on /docs (a static file: the Content-Security-Policy refuses inline script).
(function () {
  var element = document.getElementById('swagger-ui')
  if (!element || !window.SwaggerUIBundle) return
  window.SwaggerUIBundle({
    url: element.getAttribute('data-openapi-url'),
    domNode: element,
    deepLinking: true,
    // No "Try it out" requests to other hosts and no link to the online validator.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis]
  })
})()
