// Runs first in <body>: the NHS.UK design system styles its components for scripts only once
// it knows scripts run. A file, not an inline script, so the Content-Security-Policy can
// refuse every inline script.
document.body.className += ' js-enabled' +
  ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '')
