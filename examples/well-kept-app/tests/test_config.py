import pytest

from wellkept.config import API_CREDENTIAL_VARIABLE, ConfigError, api_token_from_env, load_settings


def write(tmp_path, text):
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_valid_settings(tmp_path):
    path = write(tmp_path, "database: inv.sqlite3\nbackup_dir: backups\nmax_quantity: 50\n")
    settings = load_settings(path)
    assert settings.max_quantity == 50
    assert settings.database.name == "inv.sqlite3"


def test_python_object_tags_are_refused(tmp_path):
    path = write(tmp_path, "database: !!python/object/apply:os.getcwd []\nbackup_dir: b\n")
    with pytest.raises(ConfigError, match="python/object"):
        load_settings(path)


@pytest.mark.parametrize(
    "text",
    ["- a\n- b\n", "database: x\n", "database: x\nbackup_dir: y\nmax_quantity: -1\n"],
)
def test_invalid_settings_are_reported(tmp_path, text):
    with pytest.raises(ConfigError):
        load_settings(write(tmp_path, text))


def test_api_token_comes_from_environment(monkeypatch):
    monkeypatch.delenv(API_CREDENTIAL_VARIABLE, raising=False)
    with pytest.raises(ConfigError):
        api_token_from_env()
    monkeypatch.setenv(API_CREDENTIAL_VARIABLE, "t" * 40)
    assert api_token_from_env() == "t" * 40
