from wellkept.auth import hash_password, new_api_token, token_matches, verify_password


def test_hash_and_verify_round_trip():
    stored = hash_password("correct horse battery staple", iterations=1_000)
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("wrong", stored)


def test_hashes_are_salted():
    a = hash_password("same", iterations=1_000)
    b = hash_password("same", iterations=1_000)
    assert a != b


def test_malformed_stored_value_is_rejected():
    assert not verify_password("x", "not-a-hash")
    assert not verify_password("x", "md5$1$00$00")


def test_tokens_are_random_and_compared_safely():
    t1, t2 = new_api_token(), new_api_token()
    assert t1 != t2 and len(t1) >= 32
    assert token_matches(t1, t1)
    assert not token_matches(t1, t2)
