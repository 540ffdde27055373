//! Tests of values preparation: small charts built in memory, expectations checked against
//! Helm v4.1.4 (see each test), and the corpus test.

mod corpus;
mod prepare;

#[test]
fn read_errors_are_worded_as_go_words_them() {
    // Helm: "open /nonexistent: no such file or directory", "read /tmp: is a directory".
    let missing = std::path::Path::new("/nonexistent-rudder-test");
    let e = std::fs::read(missing).unwrap_err();
    assert_eq!(
        super::go_read_error(missing, &e),
        "open /nonexistent-rudder-test: no such file or directory"
    );
    let dir = tempfile::tempdir().unwrap();
    let e = std::fs::read(dir.path()).unwrap_err();
    assert_eq!(
        super::go_read_error(dir.path(), &e),
        format!("read {}: is a directory", dir.path().display())
    );
    let own = std::io::Error::other("remote values files are not supported");
    assert_eq!(
        super::go_read_error(missing, &own),
        "remote values files are not supported"
    );
}
