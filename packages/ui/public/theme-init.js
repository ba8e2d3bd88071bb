/* global document, localStorage, matchMedia */
// Apply the saved theme before first paint so dark mode does not flash white (a file, not inline: CSP).
document.documentElement.dataset.theme =
  localStorage.getItem('logbook.theme') || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')
