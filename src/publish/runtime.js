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
// expr::random: SplitMix64 (mc::splitmix) in BigInt's exact 64-bit
// arithmetic, the streams of random::Stream, and random::draw.
const M64 = 0xFFFFFFFFFFFFFFFFn;
const GOLDEN = 0x9E3779B97F4A7C15n;
const SEEDED = 0x5EED5EED5EED5EEDn;
function splitmix(x) {
  let z = (x + GOLDEN) & M64;
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & M64;
  return z ^ (z >> 31n);
}
const BITS_F = new Float64Array(1);
const BITS_U = new BigUint64Array(BITS_F.buffer);
function bitsOf(x) { BITS_F[0] = x; return BITS_U[0]; }
const UNIT = 1 / 9007199254740992; // 2^-53
// random::Stream: `rs` is splitmix(the run's seed).
class Stream {
  constructor(rs, seed, site, tb) {
    const base = seed === 0 || seed !== seed ? rs : splitmix(SEEDED ^ bitsOf(seed));
    this.key = splitmix(base ^ BigInt(site)) ^ tb;
    this.k = 0n;
  }
  uniform() {
    this.k += 1n;
    return Number(splitmix((this.key + this.k * GOLDEN) & M64) >> 11n) * UNIT;
  }
  normal() {
    const u1 = this.uniform(), u2 = this.uniform();
    return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(u2 * (2 * Math.PI));
  }
  gamma(a) {
    if (a !== a || a <= 0 || a === Infinity) return NaN;
    if (a < 1) {
      const g = this.gamma(a + 1);
      return g * pw(this.uniform(), 1.0 / a);
    }
    const d = a - 1.0 / 3.0, c = 1.0 / Math.sqrt(9.0 * d);
    for (let t = 0; t < 10000; t++) {
      const z = this.normal();
      let v = 1.0 + c * z;
      if (v <= 0) continue;
      v = v * v * v;
      const u = this.uniform();
      if (Math.log(1.0 - u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
    return NaN;
  }
  sample(dist, p) {
    switch (dist) {
      case 0: return p[0] + (p[1] - p[0]) * this.uniform();
      case 1: return p[0] + p[1] * this.normal();
      case 2: {
        const z = this.normal();
        const cv = p[1] / p[0];
        const s2 = Math.log(cv * cv + 1.0);
        const mu = Math.log(p[0]) - s2 * 0.5;
        return Math.exp(mu + Math.sqrt(s2) * z);
      }
      case 3: return poi(p[0], this.uniform());
      case 4: return -p[0] * Math.log(1.0 - this.uniform());
      case 5: return tri(p[0], p[1], p[2], this.uniform());
      case 6: return p[1] * this.gamma(p[0]);
      case 7: {
        const x = this.gamma(p[0]), y = this.gamma(p[1]);
        return x / (x + y);
      }
      case 8: return p[1] * pw(-Math.log(1.0 - this.uniform()), 1.0 / p[0]);
      case 9: return bin(p[0], p[1], this.uniform());
      case 10: {
        const n = p[0], q = p[1];
        if (q !== q || n !== n || q <= 0 || q > 1 || n <= 0) return NaN;
        if (q === 1) return 0;
        const mean = this.gamma(n) * (1.0 - q) / q;
        return poi(mean, this.uniform());
      }
    }
    return NaN;
  }
}
// random::Dist::n_params, by code.
const NPARAMS = [2, 2, 2, 1, 1, 3, 2, 2, 2, 2, 2];
// random::draw over the n slots from r[a]: site, seed, parameters, bounds.
function drw(dist, r, a, n, rs, tb) {
  const np = NPARAMS[dist];
  if (n !== np + 4) return NaN;
  const p = [0, 0, 0];
  for (let i = 0; i < np; i++) p[i] = r[a + 2 + i];
  const lo = r[a + 2 + np], hi = r[a + 3 + np];
  const s = new Stream(rs, r[a + 1], r[a], tb);
  if (!(lo > -Infinity || hi < Infinity)) return s.sample(dist, p);
  for (let t = 0; t < 10000; t++) {
    const x = s.sample(dist, p);
    if (x !== x || (lo <= x && x <= hi)) return x;
  }
  return NaN;
}
// random's triangular.
function tri(lo, mode, hi, u) {
  if (!(lo <= mode && mode <= hi)) return NaN;
  const width = hi - lo;
  if (width === 0) return lo;
  if (u * width < mode - lo) return lo + Math.sqrt(u * width * (mode - lo));
  return hi - Math.sqrt((1.0 - u) * width * (hi - mode));
}
// random's binomial.
function bin(n, p, u) {
  if (n !== n || p !== p || n < 0 || !(p >= 0 && p <= 1) || n === Infinity) return NaN;
  n = Math.floor(n);
  if (p > 0.5) return n - bin(n, 1.0 - p, 1.0 - u);
  const mean = n * p;
  if (mean > 500) {
    const x = mean + Math.sqrt(mean * (1.0 - p)) * nq(u);
    return mn(mx(rnd(x), 0), n);
  }
  if (p === 0) return 0;
  const q = 1.0 - p, ratio = p / q;
  let k = 0, pk = pw(q, n);
  let cdf = pk;
  while (cdf <= u && k < n) {
    pk *= (n - k) / (k + 1.0) * ratio;
    k += 1;
    cdf += pk;
  }
  return k;
}
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
// random::poisson_quantile.
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
