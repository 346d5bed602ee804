import pytest

from wellkept.store import InventoryError, InventoryStore


@pytest.fixture
def store(tmp_path):
    s = InventoryStore(tmp_path / "inv.sqlite3", max_quantity=100)
    yield s
    s.close()


def test_add_and_get(store):
    store.add_item("A-1", "bolt", 5)
    item = store.get_item("A-1")
    assert item is not None
    assert (item.name, item.quantity) == ("bolt", 5)


def test_duplicate_sku_is_rejected(store):
    store.add_item("A-1", "bolt")
    with pytest.raises(InventoryError):
        store.add_item("A-1", "nut")


def test_injection_text_is_treated_as_data(store):
    store.add_item("A-1", "bolt")
    hostile = "x'; DROP TABLE items; --"
    store.add_item("A-2", hostile)
    assert store.get_item(hostile) is None
    assert [i.sku for i in store.search("DROP TABLE")] == ["A-2"]
    assert store.get_item("A-1") is not None


def test_like_wildcards_are_escaped(store):
    store.add_item("A-1", "100% cotton")
    store.add_item("A-2", "1000 cotton buds")
    assert [i.sku for i in store.search("0%")] == ["A-1"]
    assert [i.sku for i in store.search("_")] == []


def test_adjust_respects_bounds(store):
    store.add_item("A-1", "bolt", 10)
    assert store.adjust("A-1", -4).quantity == 6
    with pytest.raises(InventoryError):
        store.adjust("A-1", -7)
    with pytest.raises(InventoryError):
        store.adjust("A-1", 95)
    assert store.get_item("A-1").quantity == 6


def test_backup_copies_rows(store, tmp_path):
    store.add_item("A-1", "bolt", 3)
    target = tmp_path / "copy.sqlite3"
    store.backup_to(target)
    copy = InventoryStore(target)
    try:
        assert copy.get_item("A-1").quantity == 3
    finally:
        copy.close()
