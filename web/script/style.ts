/**
 * The banner's CSS, injected once as one <style> element. Class names start with `stw` so the
 * site's styles and ours keep apart. Dark text on white (contrast above 12:1), a bottom sheet
 * that leaves the page above it visible, the reject and accept buttons styled alike, a focus
 * ring on everything operable, and motion only when the visitor has not asked for less.
 */
export const css = `
.stw,.stw-r{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;z-index:2147483646;box-sizing:border-box}
.stw{position:fixed;left:8px;right:8px;bottom:8px;margin:auto;max-width:44rem;max-height:75vh;overflow:auto;padding:1rem 1.25rem;background:#fff;border:1px solid #6b6b6b;border-radius:8px;box-shadow:0 4px 24px #0005}
.stw h2{font-size:1.15rem;margin:0 0 .4rem}
.stw p{margin:0 0 .75rem}
.stw a{color:#0b4fb3}
.stw fieldset{border:1px solid #c4c4c4;border-radius:6px;margin:0 0 .6rem;padding:.4rem .75rem}
.stw legend{font-weight:600;padding:0 .25rem}
.stw ul{margin:.25rem 0;padding-left:1.25rem}
.stw small{color:#4a4a4a}
.stw input{width:1.1rem;height:1.1rem;margin:0 .4rem 0 0;vertical-align:-.15rem;accent-color:#1b1b1b}
.stw-b{display:flex;flex-wrap:wrap;gap:.5rem}
.stw button,.stw-r{font:inherit;cursor:pointer;padding:.5rem 1rem;border:2px solid #1b1b1b;border-radius:6px;background:#fff;color:#1b1b1b}
.stw .stw-m{flex:1 1 0;background:#1b1b1b;color:#fff}
.stw-r{position:fixed;left:8px;bottom:8px;padding:.3rem .7rem;font-size:13px}
.stw-r[hidden]{display:none}
.stw :focus-visible,.stw:focus-visible,.stw-r:focus-visible{outline:3px solid #0b4fb3;outline-offset:2px}
@media (prefers-reduced-motion:no-preference){.stw-in{animation:stw .2s ease-out}}
@keyframes stw{from{opacity:0;transform:translateY(1rem)}}
`;
