#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zhibiao_fuzz::xlsx_eval(data));
