// The NHS.UK design system's components (header menu, skip link, details, ...).
import { Header, initAll } from '/static/nhsuk/nhsuk-frontend.min.js'

// The header re-lays out its navigation on every resize (and once as the page settles) by
// moving each link in the page to measure it; a moved link loses the keyboard focus, which
// lands back at the top of the page (WCAG 2.4.3). Give the focus back to the same link when
// it is still shown.
const layOut = Header.prototype.updateNavigation
Header.prototype.updateNavigation = function () {
  const focused = document.activeElement
  layOut.call(this)
  if (focused && focused !== document.activeElement && focused.isConnected &&
      focused.getClientRects().length > 0) {
    focused.focus({ preventScroll: true })
  }
}

initAll()
