// Sets the colour scheme attribute before React mounts, so there is no light flash in dark mode.
// Mirrors Mantine's localStorage colour scheme manager (key "mantine-color-scheme-value").
(function () {
  var scheme = 'auto';
  try {
    scheme = window.localStorage.getItem('mantine-color-scheme-value') || 'auto';
  } catch (e) {
    /* storage unavailable */
  }
  if (scheme !== 'light' && scheme !== 'dark') {
    scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.setAttribute('data-mantine-color-scheme', scheme);
})();
