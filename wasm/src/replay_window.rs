//! Which counters a receiver has accepted, so a recorded frame cannot be played back: the RFC 6479
//! bitmap (2048 bits in 32-bit blocks used as a ring), the same as core/gloeth/crypto/replay_window.ts.

const BLOCK_BITS: u64 = 32;
const BLOCKS: usize = 64;
/// One block short of the bitmap: the block holding the highest counter is only partly in the past.
pub const WINDOW: u64 = BLOCKS as u64 * BLOCK_BITS - BLOCK_BITS;

#[derive(Clone, Copy)]
pub struct ReplayWindow {
    blocks: [u32; BLOCKS],
    /// Highest accepted counter + 1; 0 while nothing was accepted.
    highest_plus_one: u64,
}

impl Default for ReplayWindow {
    fn default() -> Self {
        Self::new()
    }
}

impl ReplayWindow {
    pub const fn new() -> Self {
        ReplayWindow {
            blocks: [0; BLOCKS],
            highest_plus_one: 0,
        }
    }

    /// Whether `counter` would be accepted, without remembering it: checked before the tag so that
    /// replays cost no decryption.
    pub fn could_accept(&self, counter: u64) -> bool {
        if self.highest_plus_one == 0 || counter >= self.highest_plus_one {
            return true;
        }
        let highest = self.highest_plus_one - 1;
        if counter + WINDOW < highest {
            return false;
        }
        self.blocks[((counter / BLOCK_BITS) % BLOCKS as u64) as usize]
            & (1 << (counter % BLOCK_BITS))
            == 0
    }

    /// True, and remembered, for a counter never accepted and within WINDOW of the highest. Call it
    /// only once the frame's tag verified, or forgeries could move the window.
    pub fn accept(&mut self, counter: u64) -> bool {
        if !self.could_accept(counter) {
            return false;
        }
        let block = counter / BLOCK_BITS;
        if counter >= self.highest_plus_one {
            let (first_new, count) = if self.highest_plus_one == 0 {
                (0, BLOCKS as u64)
            } else {
                let highest_block = (self.highest_plus_one - 1) / BLOCK_BITS;
                (
                    highest_block + 1,
                    core::cmp::min(block - highest_block, BLOCKS as u64),
                )
            };
            for i in 0..count {
                self.blocks[((first_new + i) % BLOCKS as u64) as usize] = 0;
            }
            self.highest_plus_one = counter + 1;
        }
        self.blocks[(block % BLOCKS as u64) as usize] |= 1 << (counter % BLOCK_BITS);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_each_counter_once_and_in_any_order_within_the_window() {
        let mut window = ReplayWindow::new();
        for counter in [5u64, 3, 4, 0, 1, 2, 6] {
            assert!(window.accept(counter), "{counter}");
        }
        for counter in 0..7u64 {
            assert!(!window.accept(counter), "replayed {counter}");
        }
    }

    #[test]
    fn refuses_what_fell_out_of_the_window_and_clears_blocks_it_jumps_past() {
        let mut window = ReplayWindow::new();
        assert!(window.accept(10));
        assert!(window.accept(10 + WINDOW));
        assert!(!window.accept(9));
        assert!(!window.accept(10));
        assert!(window.accept(11));
        // A jump of billions clears at most the whole ring, and old bits never make a new counter look seen.
        assert!(window.accept(5_000_000_000));
        assert!(window.accept(5_000_000_000 - 1));
        assert!(window.accept(5_000_000_000 - 40));
        assert!(!window.accept(5_000_000_000 - 40));
        assert!(!window.accept(11 + WINDOW));
    }

    #[test]
    fn agrees_with_a_plain_set_on_a_pseudo_random_walk() {
        let mut window = ReplayWindow::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut highest: Option<u64> = None;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut base = 0u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            base += x % 3;
            let counter = (base + (x >> 20) % 2200).saturating_sub(1100);
            let expected =
                !seen.contains(&counter) && highest.map_or(true, |h| counter + WINDOW >= h);
            assert_eq!(window.accept(counter), expected, "counter {counter}");
            if expected {
                seen.insert(counter);
                highest = Some(highest.map_or(counter, |h| h.max(counter)));
            }
        }
    }
}
