//! Evidence on the household form (issue 15): the signatures of 本户排查人, the 风险研判人 and
//! 户主 (`signatures`, `signature_pad`).

pub mod signature_pad;
pub mod signatures;
