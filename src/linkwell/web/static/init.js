// The NHS.UK design system's components (header menu, skip link, details, ...).
import { initAll } from '/static/nhsuk/nhsuk-frontend.min.js'

initAll()
