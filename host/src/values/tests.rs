//! Tests of values preparation: small charts built in memory, expectations checked against
//! Helm v4.1.4 (see each test), and the corpus test.

mod corpus;
mod prepare;
