// Zoom and pan for the /find map (drawn by linkwell.charts.maps.point_map). Without this
// script the map is still drawn and each marker is a link to its result in the list.
//
// The borough layer is scaled and moved; markers keep their size and move with their place,
// using the spots the server chose for the zoom level at or below the current zoom (so no
// marker covers another at those levels). Buttons, the mouse wheel, dragging, two-finger
// pinches and the keyboard (+, -, 0 and arrow keys while a marker has focus) all work, and
// each change is announced in the figure's live region.
(function () {
  'use strict'
  var MAX_ZOOM = 8
  var PAN_SHARE = 0.25 // of the view, per button or arrow key press
  var METRES_PER_MILE = 1609.344

  function round (value) { return Math.round(value * 100) / 100 }

  function milesText (miles) { return miles === 1 ? '1 mile' : miles + ' miles' }

  function numbersText (numbers) {
    if (numbers.length === 1) { return 'number ' + numbers[0] }
    return 'numbers ' + numbers.slice(0, -1).join(', ') + ' and ' + numbers[numbers.length - 1]
  }

  function setUp (figure) {
    var svg = figure.querySelector('svg.lw-map__svg')
    var layer = svg && svg.querySelector('.lw-map__layer')
    if (!layer) { return }
    var view = svg.viewBox.baseVal
    var width = view.width
    var height = view.height
    var levels = svg.getAttribute('data-zoom-levels').split(' ').map(Number)
    var metresPerUnit = parseFloat(svg.getAttribute('data-metres-per-unit'))
    var status = figure.querySelector('[aria-live]')
    var controls = figure.querySelector('.lw-map__controls')
    var buttons = {}
    // The searcher's ring and the area names move with the map but keep their size.
    var pinned = Array.prototype.slice.call(svg.querySelectorAll('.lw-map__origin, .lw-map__name'))
    var scaleBar = svg.querySelector('.lw-map__scale')
    var markers = Array.prototype.map.call(svg.querySelectorAll('.lw-map__marker'), function (el) {
      return {
        el: el,
        x: parseFloat(el.getAttribute('data-x')),
        y: parseFloat(el.getAttribute('data-y')),
        numbers: el.getAttribute('data-numbers').split(' ').map(Number),
        offsets: el.getAttribute('data-offsets').split(' ').map(function (pair) {
          return pair.split(',').map(Number)
        }),
        leader: el.querySelector('.lw-map__leader'),
        place: el.querySelector('.lw-map__place')
      }
    })
    var state = { zoom: 1, x: 0, y: 0 }
    var announceTimer = null

    function clamp () {
      state.zoom = Math.min(MAX_ZOOM, Math.max(1, state.zoom))
      state.x = Math.min(0, Math.max(width * (1 - state.zoom), state.x))
      state.y = Math.min(0, Math.max(height * (1 - state.zoom), state.y))
    }

    function level () {
      var index = 0
      levels.forEach(function (value, i) { if (value <= state.zoom + 1e-9) { index = i } })
      return index
    }

    function screen (x, y) {
      return [state.zoom * x + state.x, state.zoom * y + state.y]
    }

    function drawScaleBar () {
      if (!scaleBar) { return }
      var most = parseFloat(scaleBar.getAttribute('data-most'))
      var steps = scaleBar.getAttribute('data-miles').split(' ').map(Number)
      var unitsPerMile = METRES_PER_MILE / (metresPerUnit / state.zoom)
      var miles = steps[0]
      steps.forEach(function (step) { if (step * unitsPerMile <= most) { miles = step } })
      var length = round(miles * unitsPerMile)
      scaleBar.querySelector('path').setAttribute('d', 'M0,-6V0H' + length + 'V-6')
      scaleBar.querySelector('text').textContent = milesText(miles)
    }

    function draw () {
      clamp()
      layer.setAttribute('transform', 'translate(' + round(state.x) + ' ' + round(state.y) +
                         ') scale(' + round(state.zoom) + ')')
      var index = level()
      markers.forEach(function (marker) {
        var offset = marker.offsets[index] || [0, 0]
        var at = screen(marker.x, marker.y)
        marker.el.setAttribute('transform', 'translate(' + round(at[0] + offset[0]) + ' ' +
                               round(at[1] + offset[1]) + ')')
        marker.leader.setAttribute('x1', -offset[0])
        marker.leader.setAttribute('y1', -offset[1])
        marker.place.setAttribute('cx', -offset[0])
        marker.place.setAttribute('cy', -offset[1])
      })
      pinned.forEach(function (el) {
        var at = screen(parseFloat(el.getAttribute('data-x')), parseFloat(el.getAttribute('data-y')))
        el.setAttribute('transform', 'translate(' + round(at[0]) + ' ' + round(at[1]) + ')')
      })
      drawScaleBar()
      svg.classList.toggle('lw-map__svg--zoomed', state.zoom > 1)
      setDisabled('zoom-in', state.zoom >= MAX_ZOOM)
      setDisabled('zoom-out', state.zoom <= 1)
      setDisabled('reset', state.zoom <= 1)
      setDisabled('north', state.y >= 0)
      setDisabled('south', state.y <= height * (1 - state.zoom))
      setDisabled('west', state.x >= 0)
      setDisabled('east', state.x <= width * (1 - state.zoom))
    }

    // aria-disabled, not disabled: a button that focus is on keeps it when it stops working.
    function setDisabled (action, disabled) {
      if (buttons[action]) { buttons[action].setAttribute('aria-disabled', disabled ? 'true' : 'false') }
    }

    function inView () {
      var numbers = []
      markers.forEach(function (marker) {
        var at = screen(marker.x, marker.y)
        if (at[0] >= 0 && at[0] <= width && at[1] >= 0 && at[1] <= height) {
          numbers = numbers.concat(marker.numbers)
        }
      })
      numbers.sort(function (a, b) { return a - b })
      if (!numbers.length) { return 'No services are in view.' }
      return 'In view: ' + numbersText(numbers) + '.'
    }

    function zoomText () {
      return state.zoom <= 1 ? 'Zoomed out fully.' : 'Zoomed to ' + round(state.zoom) + ' times.'
    }

    function announce (message, later) {
      clearTimeout(announceTimer)
      var say = function () { status.textContent = message() + ' ' + inView() }
      if (later) { announceTimer = setTimeout(say, 500) } else { say() }
    }

    function zoomTo (zoom, cx, cy) {
      var next = Math.min(MAX_ZOOM, Math.max(1, zoom))
      state.x = cx - (cx - state.x) * next / state.zoom
      state.y = cy - (cy - state.y) * next / state.zoom
      state.zoom = next
      draw()
    }

    function panBy (dx, dy) {
      state.x += dx
      state.y += dy
      draw()
    }

    var actions = {
      'zoom-in': function () { zoomTo(state.zoom * 2, width / 2, height / 2); return zoomText() },
      'zoom-out': function () { zoomTo(state.zoom / 2, width / 2, height / 2); return zoomText() },
      north: function () { return move(0, height * PAN_SHARE, 'north') },
      south: function () { return move(0, -height * PAN_SHARE, 'south') },
      west: function () { return move(width * PAN_SHARE, 0, 'west') },
      east: function () { return move(-width * PAN_SHARE, 0, 'east') },
      reset: function () { state = { zoom: 1, x: 0, y: 0 }; draw(); return 'Map reset to show every service.' }
    }

    function move (dx, dy, direction) {
      var before = state.x + ',' + state.y
      panBy(dx, dy)
      if (state.x + ',' + state.y === before) {
        return state.zoom <= 1 ? 'The whole map is in view; zoom in to move it.'
          : 'The map is at its ' + direction + 'ern edge.'
      }
      return 'Moved ' + direction + '.'
    }

    function run (action) {
      var message = actions[action]()
      announce(function () { return message })
    }

    Array.prototype.forEach.call(controls.querySelectorAll('[data-map-action]'), function (button) {
      var action = button.getAttribute('data-map-action')
      buttons[action] = button
      // A button that can do no more still answers, saying why (every action is clamped).
      button.addEventListener('click', function () { run(action) })
    })

    var keys = {
      '+': 'zoom-in', '=': 'zoom-in', '-': 'zoom-out', _: 'zoom-out', 0: 'reset',
      ArrowUp: 'north', ArrowDown: 'south', ArrowLeft: 'west', ArrowRight: 'east'
    }
    svg.addEventListener('keydown', function (event) {
      var action = keys[event.key]
      if (!action || event.altKey || event.ctrlKey || event.metaKey) { return }
      event.preventDefault()
      run(action)
    })

    function toView (clientX, clientY) {
      var box = svg.getBoundingClientRect()
      return [(clientX - box.left) * width / box.width, (clientY - box.top) * height / box.height]
    }

    svg.addEventListener('wheel', function (event) {
      var delta = event.deltaY * (event.deltaMode === 1 ? 16 : 1)
      if (delta === 0 || (delta > 0 && state.zoom <= 1) || (delta < 0 && state.zoom >= MAX_ZOOM)) { return }
      event.preventDefault()
      var at = toView(event.clientX, event.clientY)
      zoomTo(state.zoom * Math.exp(-delta * 0.002), at[0], at[1])
      announce(zoomText, true)
    }, { passive: false })

    // Dragging moves the map and pinching zooms it; a drag that moved is not a click.
    var pointers = {}
    var dragged = false
    var gesture = null

    function pointerList () {
      return Object.keys(pointers).map(function (id) { return pointers[id] })
    }

    function measure () {
      var list = pointerList()
      if (list.length === 1) { return { at: list[0], spread: 0 } }
      var a = list[0]
      var b = list[1]
      return { at: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], spread: Math.hypot(a[0] - b[0], a[1] - b[1]) }
    }

    svg.addEventListener('pointerdown', function (event) {
      if (event.pointerType === 'mouse' && event.button !== 0) { return }
      pointers[event.pointerId] = toView(event.clientX, event.clientY)
      dragged = false
      gesture = measure()
    })
    svg.addEventListener('pointermove', function (event) {
      if (!(event.pointerId in pointers)) { return }
      pointers[event.pointerId] = toView(event.clientX, event.clientY)
      var now = measure()
      var count = pointerList().length
      if (!dragged && count === 1 && Math.hypot(now.at[0] - gesture.at[0], now.at[1] - gesture.at[1]) < 4) { return }
      if (!dragged) {
        dragged = true
        svg.setPointerCapture(event.pointerId)
        svg.classList.add('lw-map__svg--dragging')
      }
      if (count >= 2 && gesture.spread > 0 && now.spread > 0) {
        zoomTo(state.zoom * now.spread / gesture.spread, now.at[0], now.at[1])
      }
      panBy(now.at[0] - gesture.at[0], now.at[1] - gesture.at[1])
      gesture = now
    })
    function release (event) {
      if (!(event.pointerId in pointers)) { return }
      delete pointers[event.pointerId]
      gesture = pointerList().length ? measure() : null
      if (!gesture) {
        svg.classList.remove('lw-map__svg--dragging')
        if (dragged) {
          announce(zoomText, true)
          // The click that follows a drag (if any) comes in this same task; later ones count.
          setTimeout(function () { dragged = false }, 0)
        }
      }
    }
    svg.addEventListener('pointerup', release)
    svg.addEventListener('pointercancel', release)
    svg.addEventListener('click', function (event) {
      if (dragged) {
        event.preventDefault()
        event.stopPropagation()
      }
    }, true)

    markers.forEach(function (marker) {
      // A marker moved out of view brings itself back when the keyboard reaches it.
      marker.el.addEventListener('focus', function () {
        var at = screen(marker.x, marker.y)
        if (at[0] < 0 || at[0] > width || at[1] < 0 || at[1] > height) {
          state.x = width / 2 - state.zoom * marker.x
          state.y = height / 2 - state.zoom * marker.y
          draw()
        }
      })
      // Following a marker puts focus on its result, so reading carries on from there.
      marker.el.addEventListener('click', function () {
        var target = document.getElementById(marker.el.getAttribute('href').slice(1))
        if (target) { setTimeout(function () { target.focus({ preventScroll: true }) }, 0) }
      })
    })

    controls.hidden = false
    Array.prototype.forEach.call(figure.querySelectorAll('.lw-map__help'), function (help) { help.hidden = false })
    draw()
  }

  function setUpAll () {
    Array.prototype.forEach.call(document.querySelectorAll('figure.lw-map'), function (figure) {
      if (figure.getAttribute('data-map-ready')) { return }
      figure.setAttribute('data-map-ready', 'yes')
      setUp(figure)
    })
  }

  setUpAll()
  // htmx swaps in new results (and a new map) without loading the page again.
  document.body.addEventListener('htmx:afterSettle', setUpAll)
})()
