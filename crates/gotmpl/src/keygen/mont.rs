//! Miller–Rabin to base 2 in Montgomery arithmetic over fixed-width 64-bit limbs.
//!
//! Almost every prime candidate that survives the sieve is composite, and one Miller–Rabin
//! round proves it; that round is most of the cost of a key. `num-bigint-dig`'s general
//! `modpow` allocates per step and does not special-case squaring; this one works in place
//! on slices of the modulus' width and squares with the symmetric product, which makes the
//! round a quarter to a third cheaper. Only the answer "composite" is taken from it: a
//! candidate that passes still goes through `num-bigint-dig`'s full test, whose rounds
//! include base 2, so the primes found (and the keys made from a seed) are exactly those the
//! full test alone would find.

use num_bigint_dig::BigUint;

/// Montgomery arithmetic modulo an odd `n`, with R = 2^(64·len).
struct Mont {
    /// The modulus, little-endian limbs, the top one non-zero.
    n: Vec<u64>,
    /// -n⁻¹ mod 2^64.
    n0: u64,
    /// R mod n: 1 in Montgomery form.
    one: Vec<u64>,
    /// R² mod n, to bring a number into Montgomery form.
    r2: Vec<u64>,
}

/// Little-endian 64-bit limbs of `x`, at least one.
fn limbs(x: &BigUint) -> Vec<u64> {
    let bytes = x.to_bytes_le();
    let mut out: Vec<u64> = bytes
        .chunks(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(b)
        })
        .collect();
    if out.is_empty() {
        out.push(0);
    }
    out
}

/// `a >= b`, both of the same width.
fn geq(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x > y;
        }
    }
    true
}

/// `a -= b`, both of the same width; the borrow out of the top is dropped.
fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *x = d;
        borrow = b1 | b2;
    }
}

impl Mont {
    fn new(n: Vec<u64>) -> Mont {
        let len = n.len();
        // n0 = -n⁻¹ mod 2^64 by Newton's iteration (x = n is right to 3 bits for odd n).
        let mut x = n[0];
        for _ in 0..6 {
            x = x.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(x)));
        }
        // R mod n and R² mod n by doubling 1 modulo n.
        let mut acc = vec![0u64; len];
        acc[0] = 1;
        let mut one = Vec::new();
        for step in 1..=2 * 64 * len {
            let mut carry = 0u64;
            for l in acc.iter_mut() {
                let top = *l >> 63;
                *l = (*l << 1) | carry;
                carry = top;
            }
            if carry == 1 || geq(&acc, &n) {
                sub_in_place(&mut acc, &n);
            }
            if step == 64 * len {
                one = acc.clone();
            }
        }
        Mont {
            n,
            n0: x.wrapping_neg(),
            one,
            r2: acc,
        }
    }

    fn len(&self) -> usize {
        self.n.len()
    }

    /// `out = t·R⁻¹ mod n` for a double-width `t` below n·R (destroys `t`).
    fn redc(&self, t: &mut [u64], out: &mut [u64]) {
        let len = self.len();
        let n = &self.n[..];
        let mut high = 0u64;
        for i in 0..len {
            let m = u128::from(t[i].wrapping_mul(self.n0));
            let mut c = 0u64;
            for (tj, &nj) in t[i..i + len].iter_mut().zip(n) {
                let s = u128::from(*tj) + m * u128::from(nj) + u128::from(c);
                *tj = s as u64;
                c = (s >> 64) as u64;
            }
            let s = u128::from(t[i + len]) + u128::from(c) + u128::from(high);
            t[i + len] = s as u64;
            high = (s >> 64) as u64;
        }
        out.copy_from_slice(&t[len..2 * len]);
        if high != 0 || geq(out, n) {
            sub_in_place(out, n);
        }
    }

    /// `out = a·b·R⁻¹ mod n`; `t` is scratch of twice the width.
    fn mul(&self, a: &[u64], b: &[u64], out: &mut [u64], t: &mut [u64]) {
        let len = self.len();
        t.fill(0);
        for (i, &bi) in b.iter().enumerate() {
            let bi = u128::from(bi);
            let mut c = 0u64;
            for (tj, &aj) in t[i..i + len].iter_mut().zip(a) {
                let s = u128::from(*tj) + u128::from(aj) * bi + u128::from(c);
                *tj = s as u64;
                c = (s >> 64) as u64;
            }
            t[i + len] = c;
        }
        self.redc(t, out);
    }

    /// `out = a²·R⁻¹ mod n`: each cross product once, doubled, plus the squares.
    fn sqr(&self, a: &[u64], out: &mut [u64], t: &mut [u64]) {
        let len = self.len();
        t.fill(0);
        for i in 0..len {
            let ai = u128::from(a[i]);
            let mut c = 0u64;
            for (tj, &aj) in t[2 * i + 1..i + len].iter_mut().zip(&a[i + 1..]) {
                let s = u128::from(*tj) + u128::from(aj) * ai + u128::from(c);
                *tj = s as u64;
                c = (s >> 64) as u64;
            }
            t[i + len] = c;
        }
        let mut carry = 0u64;
        for x in t[..2 * len].iter_mut() {
            let top = *x >> 63;
            *x = (*x << 1) | carry;
            carry = top;
        }
        let mut c = 0u64;
        for (i, &ai) in a.iter().enumerate() {
            let sq = u128::from(ai) * u128::from(ai);
            let lo = u128::from(t[2 * i]) + (sq & u128::from(u64::MAX)) + u128::from(c);
            t[2 * i] = lo as u64;
            let hi = u128::from(t[2 * i + 1]) + (sq >> 64) + (lo >> 64);
            t[2 * i + 1] = hi as u64;
            c = (hi >> 64) as u64;
        }
        self.redc(t, out);
    }

    /// `base^exp` for `base` in Montgomery form; the result in Montgomery form. Fixed 5-bit
    /// windows.
    fn pow(&self, base: &[u64], exp: &[u64]) -> Vec<u64> {
        const W: usize = 5;
        let len = self.len();
        let mut t = vec![0u64; 2 * len];
        let mut table = vec![self.one.clone(), base.to_vec()];
        for i in 2..1 << W {
            let mut next = vec![0u64; len];
            self.mul(&table[i - 1], base, &mut next, &mut t);
            table.push(next);
        }
        let bits = exp.len() * 64;
        let bit = |i: usize| i < bits && (exp[i / 64] >> (i % 64)) & 1 == 1;
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; len];
        let mut started = false;
        let mut i = bits.div_ceil(W) * W;
        while i > 0 {
            i -= W;
            let w = (0..W)
                .rev()
                .fold(0usize, |w, k| (w << 1) | usize::from(bit(i + k)));
            if started {
                for _ in 0..W {
                    self.sqr(&acc, &mut tmp, &mut t);
                    std::mem::swap(&mut acc, &mut tmp);
                }
            }
            if w != 0 {
                self.mul(&acc, &table[w], &mut tmp, &mut t);
                std::mem::swap(&mut acc, &mut tmp);
                started = true;
            }
        }
        acc
    }
}

/// Whether odd `n > 3` passes a strong-probable-prime test to base 2; `false` proves `n`
/// composite.
pub(super) fn passes_base_2(n: &BigUint) -> bool {
    let mont = Mont::new(limbs(n));
    let len = mont.len();
    // n - 1 = d·2^s with d odd.
    let n_minus_1 = n - 1u32;
    let s = n_minus_1.trailing_zeros().unwrap_or(0);
    let mut d = limbs(&(&n_minus_1 >> s));
    d.resize(len, 0);
    let mut two = vec![0u64; len];
    two[0] = 2;
    let mut t = vec![0u64; 2 * len];
    let mut two_m = vec![0u64; len];
    mont.mul(&two, &mont.r2, &mut two_m, &mut t);
    let mut x = mont.pow(&two_m, &d);
    // -1 in Montgomery form is n - R mod n.
    let mut minus_one = mont.n.clone();
    sub_in_place(&mut minus_one, &mont.one);
    if x == mont.one || x == minus_one {
        return true;
    }
    let mut tmp = vec![0u64; len];
    for _ in 1..s {
        mont.sqr(&x, &mut tmp, &mut t);
        std::mem::swap(&mut x, &mut tmp);
        if x == minus_one {
            return true;
        }
        if x == mont.one {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_modpow() {
        // Odd numbers of several widths, primes and composites (including base-2
        // pseudoprimes, which must pass: 2047 = 23·89, 3277, 4033).
        let mut checked = 0;
        for n in [5u64, 7, 9, 15, 2047, 3277, 4033, 1_000_003, 1_000_001]
            .into_iter()
            .map(BigUint::from)
            .chain((0..40u32).map(|i| {
                (BigUint::from(1u32) << (64 * (1 + i as usize % 5) + i as usize))
                    + BigUint::from(2 * i + 1)
            }))
        {
            let n_minus_1 = &n - 1u32;
            let s = n_minus_1.trailing_zeros().unwrap_or(0);
            let d = &n_minus_1 >> s;
            let mut x = BigUint::from(2u32).modpow(&d, &n);
            let mut expect = x == BigUint::from(1u32) || x == n_minus_1;
            for _ in 1..s {
                if expect {
                    break;
                }
                x = (&x * &x) % &n;
                expect = x == n_minus_1;
            }
            assert_eq!(passes_base_2(&n), expect, "{n}");
            checked += 1;
        }
        assert_eq!(checked, 49);
        assert!(passes_base_2(&BigUint::from(2047u32)));
        assert!(!passes_base_2(&BigUint::from(2049u32)));
    }
}
