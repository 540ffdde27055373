//! (to be written)

use crate::func::Func;

pub static FUNCS: &[Func] = &[];
