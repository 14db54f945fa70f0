//! Hex for test vectors as the RFCs print them.

pub fn hex(text: &str) -> std::vec::Vec<u8> {
    let digits: std::vec::Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b':')
        .collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits");
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).expect("hex digit"))
        .collect()
}

/// A heap value of a type whose all-zero bytes are a valid value, made without building it on the
/// stack first (the frame path's tables are megabytes).
pub fn zeroed_box<T>() -> std::boxed::Box<T> {
    let layout = std::alloc::Layout::new::<T>();
    // SAFETY: only called for types of plain integers, arrays and bools, for which zero bytes are valid.
    unsafe { std::boxed::Box::from_raw(std::alloc::alloc_zeroed(layout) as *mut T) }
}
