// The helpers a model compiled to JavaScript calls (`publish::js`): each
// one the engine's own semantics where JavaScript's differ, ported from the
// Rust it names. A section is included only when the model uses it; a
// section starts at a line `// @section NAME` and runs to the next.

// @section core
// f64::min and f64::max: a NaN operand gives the other one (Math.min gives NaN).
function mn(x, y) { return x < y ? x : (y === y ? y : x); }
function mx(x, y) { return x > y ? x : (y === y ? y : x); }
// f64::round: half away from zero (Math.round rounds half up).
function rnd(x) { return x < 0 ? -Math.round(-x) : Math.round(x); }
// f64::powf (C's pow): 1 to any power is 1, and -1 to an infinite power
// too (Math.pow gives NaN for both).
function pw(x, y) {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}
// builtins::floored_mod (JavaScript's % is C's fmod, as Rust's).
function fmod(a, b) {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

// @section lookup
// def::lookup_value; a table is {xs, ys, mode}: 0 continuous, 1
// extrapolate, 2 discrete.
function lk(t, x) {
  if (x !== x) return NaN;
  const xs = t.xs, ys = t.ys, n = xs.length;
  let i;
  if (x <= xs[0]) {
    if (t.mode !== 1 || n === 1 || x === xs[0]) return ys[0];
    i = 1;
  } else if (x >= xs[n - 1]) {
    if (t.mode !== 1 || n === 1 || x === xs[n - 1]) return ys[n - 1];
    i = n - 1;
  } else {
    i = 1;
    while (xs[i] < x) i++;
    if (t.mode === 2) return xs[i] === x ? ys[i] : ys[i - 1];
  }
  return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
}

// @section random
// builtins::uniform_draw: SplitMix64 (mc::splitmix) of the seed, the draw's
// number and the step's time bits, in BigInt's exact 64-bit arithmetic.
const M64 = 0xFFFFFFFFFFFFFFFFn;
function splitmix(x) {
  let z = (x + 0x9E3779B97F4A7C15n) & M64;
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & M64;
  return z ^ (z >> 31n);
}
const BITS_F = new Float64Array(1);
const BITS_U = new BigUint64Array(BITS_F.buffer);
function bitsOf(x) { BITS_F[0] = x; return BITS_U[0]; }
// `draw` is splitmix(splitmix(seed) ^ number), the step's part left to mix.
const UNIT = 1 / 9007199254740992; // 2^-53
function uni(draw, timeBits) {
  return Number(splitmix(draw ^ timeBits) >> 11n) * UNIT;
}

// @section poisson
// mc::normal_quantile (Acklam's approximation).
function nq(p) {
  p = p < 1e-300 ? 1e-300 : p > 1.0 - 1e-16 ? 1.0 - 1e-16 : p; // f64::clamp, NaN kept
  const tail = (q) =>
    (((((-7.784894002430293e-3 * q + -3.223964580411365e-1) * q + -2.400758277161838) * q
      + -2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783)
    / ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q
      + 3.754408661907416) * q + 1.0);
  if (p < 0.02425) return tail(Math.sqrt(-2.0 * Math.log(p)));
  if (p > 1.0 - 0.02425) return -tail(Math.sqrt(-2.0 * Math.log(1.0 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (((((-3.969683028665376e1 * r + 2.209460984245205e2) * r + -2.759285104469687e2) * r
    + 1.38357751867269e2) * r + -3.066479806614716e1) * r + 2.506628277459239) * q
    / (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r + -1.556989798598866e2) * r
      + 6.680131188771972e1) * r + -1.328068155288572e1) * r + 1.0);
}
// builtins::poisson_quantile.
function poi(mean, u) {
  if (mean !== mean || u !== u) return NaN;
  if (mean <= 0) return 0;
  if (mean > 500) return mx(rnd(mean + Math.sqrt(mean) * nq(u)), 0);
  let k = 0, p = Math.exp(-mean);
  let cdf = p;
  while (cdf <= u && k < 10.0 * mean + 100.0) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

// @section allocate
// expr::allocation: allocate_available over the n_args slots from r[a].
function alFraction(ptype, z) {
  if (z !== z) return NaN;
  if (ptype === 1) return mn(mx(0.5 - z, 0), 1);
  if (ptype === 2) {
    if (z <= -0.5) return 1;
    if (z < 0) return 1 - 2 * (z + 0.5) * (z + 0.5);
    if (z < 0.5) return 2 * (0.5 - z) * (0.5 - z);
    return 0;
  }
  if (ptype === 3) {
    const upper = (x) => {
      const t = 1 / (1 + 0.33267 * x);
      const density = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      return density * t * (0.4361836 + t * (-0.1201676 + t * 0.937298));
    };
    return z >= 0 ? upper(z) : 1 - upper(-z);
  }
  if (ptype === 4) return z < 0 ? 1 - 0.5 * Math.exp(z) : 0.5 * Math.exp(-z);
  return NaN;
}
function alServed(r, k, level) {
  const request = r[k + 1];
  if (request === 0) return 0;
  return request * alFraction(r[k], (level - r[k + 2]) / r[k + 3]);
}
function alLevel(r, a, n) {
  let total = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = a + 5 + 4 * i;
    const ptype = r[k], request = r[k + 1], priority = r[k + 2], width = r[k + 3];
    if (request === 0) continue;
    const reach = ptype === 1 || ptype === 2 ? 0.5 : ptype === 3 ? 40 : ptype === 4 ? 750 : NaN;
    if (reach !== reach) return NaN;
    const valid = request >= 0 && width > 0 && Number.isFinite(priority);
    const sa = priority - reach * width, sb = priority + reach * width;
    if (!(valid && Number.isFinite(sa) && Number.isFinite(sb))) return NaN;
    total += request;
    lo = mn(lo, sa);
    hi = mx(hi, sb);
  }
  const supply = r[a];
  if (supply !== supply) return NaN;
  if (supply <= 0) return Infinity;
  if (supply >= total) return -Infinity;
  for (let h = 0; h < 200; h++) {
    const mid = 0.5 * lo + 0.5 * hi;
    if (mid <= lo || mid >= hi) break;
    let taken = -0;
    for (let i = 0; i < n; i++) taken += alServed(r, a + 5 + 4 * i, mid);
    if (taken > supply) lo = mid; else hi = mid;
  }
  return 0.5 * lo + 0.5 * hi;
}
function alloc(r, a, nArgs) {
  if (nArgs < 5) return NaN;
  const groups = nArgs - 5, n = Math.floor(groups / 4);
  if (groups % 4 !== 0 || n < 1 || n > 64) return NaN;
  return alServed(r, a + 1, alLevel(r, a, n));
}
