from aftersales.privacy import mask_phone, mask_phones_in


def test_a_phone_number_keeps_only_its_ends():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+1 408-555-0123") == "140****0123"


def test_phone_numbers_inside_log_lines_are_masked():
    line = mask_phones_in("我的电话是13812345678，备用 +86 139 0000 1111，订单RO-20261124-0001")
    assert "13812345678" not in line and "139 0000 1111" not in line
    assert "138****5678" in line
    assert "RO-20261124-0001" in line  # references are not personal data


def test_dates_and_times_in_a_line_are_not_taken_for_phone_numbers():
    line = "first response due: 2026-11-23 18:30, call 138-1234-5678 or 020-8888 6666"
    assert mask_phones_in(line) == "first response due: 2026-11-23 18:30, call 138****5678 or 020****6666"
