from aftersales.language import LanguageChoice, next_language


def test_the_script_written_decides_by_default():
    assert next_language(None, False, "en", None) == LanguageChoice("en", False)
    assert next_language("en", False, "zh-Hans", None) == LanguageChoice("zh-Hans", False)
    assert next_language("zh-Hans", False, "zh-Hant", None) == LanguageChoice("zh-Hant", False)


def test_characters_common_to_both_scripts_keep_a_traditional_customer_traditional():
    assert next_language("zh-Hant", False, "zh", None).language == "zh-Hant"
    assert next_language("en", False, "zh", None).language == "zh-Hans"
    assert next_language(None, False, "zh", None).language == "zh-Hans"


def test_messages_without_language_change_nothing():
    assert next_language("en", False, None, None) == LanguageChoice("en", False)
    assert next_language(None, False, None, None) == LanguageChoice("zh-Hans", False)


def test_an_explicit_request_wins_and_sticks():
    chosen = next_language("zh-Hans", False, "zh-Hans", "en")
    assert chosen == LanguageChoice("en", True)
    assert next_language(chosen.language, chosen.locked, "zh-Hans", None).language == "en"
    assert next_language("en", True, "zh-Hans", "zh-Hant") == LanguageChoice("zh-Hant", True)


def test_traditional_customers_read_traditional_text():
    from aftersales.language import in_script

    assert in_script("营业时间：周一至周六", "zh-Hant") == "營業時間：週一至週六"
    assert in_script("营业时间", "zh-Hans") == "营业时间"
    assert in_script("Opening hours", "en") == "Opening hours"
