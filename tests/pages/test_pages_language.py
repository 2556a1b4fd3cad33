"""The start page, the sidebar and the navigation in English and in Russian (AppTest)."""

from __future__ import annotations

from tests.pages.apptest import open_app, sidebar_text
from tests.pages.russian import english_words, visible_texts


def test_the_start_page_says_what_the_tool_does_and_offers_the_ways_in():
    at = open_app(page="pages/start.py")
    assert at.title[0].value == "Customer segments"
    assert "segments of similar people" in at.markdown[0].value
    assert [b.label for b in at.button] == ["Try synthetic customers"]
    assert "1. ▸ " not in sidebar_text(at)  # the start is before the flow's first step


def test_try_synthetic_customers_opens_the_data_page_on_synthetic_data():
    at = open_app(page="pages/start.py")
    at.button(key="start_synthetic").click().run()
    assert not at.exception
    assert at.title[0].value == "Data"
    assert "Synthetic customers" in sidebar_text(at)


def test_the_sidebar_shows_the_flow_and_what_was_seen():
    at = open_app()  # the Data page
    flow = at.sidebar.markdown[0].value
    assert "▸ 1. **Data** · you are here" in flow
    assert "○ 2. Segments · not yet" in flow
    at.switch_page("pages/segments.py").run()
    flow = at.sidebar.markdown[0].value
    assert "✓ 1. Data · seen" in flow and "▸ 2. **Segments** · you are here" in flow


def test_the_language_switch_changes_the_language_of_the_same_session():
    at = open_app(page="pages/start.py")
    at.session_state["language"] = "ru"
    at.run()
    assert at.title[0].value == "Сегменты клиентов"
    at.session_state["language"] = "en"
    at.run()
    assert at.title[0].value == "Customer segments"


def test_the_start_page_and_sidebar_in_russian_have_no_english_text():
    at = open_app("ru", page="pages/start.py")
    assert at.title[0].value == "Сегменты клиентов"
    assert english_words(visible_texts(at)) == []
    assert "Данные" in sidebar_text(at) and "строк" in sidebar_text(at)


def test_the_choose_k_page_in_russian_has_no_english_text_before_compute():
    at = open_app("ru", page="pages/choose_k.py")
    assert at.title[0].value == "Выбор k"
    assert [b.label for b in at.button][:1] == ["Рассчитать"]
    assert english_words(visible_texts(at)) == []


def test_the_heatmap_numbers_are_behind_a_toggle():
    at = open_app(page="pages/segments.py")

    def heat_tables():
        return [
            d.value
            for d in at.dataframe
            if list(d.value.columns[:1]) == ["name"]
            and "annual_income" in d.value.columns
            and "size" not in d.value.columns
        ]

    assert heat_tables() == []
    at.toggle(key="heatmap_numbers").set_value(True).run()
    assert not at.exception
    (numbers,) = heat_tables()
    assert len(numbers) == 5  # one row per segment of the default k
    assert numbers["annual_income"].abs().max() > 0.5  # standardised differences, not zeros


def test_the_export_page_in_russian_has_no_english_text_but_the_core_s_words():
    at = open_app("ru", page="pages/export.py")
    assert at.title[0].value == "Выгрузка"
    assert "Скачать модель (.skops)" in [b.label for b in at.get("download_button")]
    # The scaling's and the delimiter's names come from the core, not yet translated (see the report).
    assert english_words(visible_texts(at), allowed={"standard", "comma"}) == []


def test_the_data_page_in_russian_has_no_english_text_but_the_file_s_own():
    at = open_app("ru")
    assert at.title[0].value == "Данные"
    texts = visible_texts(at)
    # The read report (what was detected in the file) comes from the core, not yet translated.
    texts = [t for t in texts if not t.startswith("- ")]
    words = english_words(texts, allowed={"n", "a", "unknown", "Não", "informado", "Windows", "MAD"})
    assert words == []


def test_the_segments_page_in_russian_names_its_controls_in_russian():
    at = open_app("ru", page="pages/segments.py")
    assert at.title[0].value == "Сегменты"
    labels = [s.label for s in at.selectbox]
    assert "Ось x" in labels and "Масштабирование" in labels
    assert at.slider(key="k").label == "Число сегментов (k)"
    # Headings, captions and labels; the generated segment names (in the tables) are not translated yet.
    assert english_words(visible_texts(at), allowed={"KMeans"}) == []


def test_the_score_page_in_russian_has_no_english_text_before_a_model():
    at = open_app("ru", page="pages/score.py")
    assert at.title[0].value == "Оценка"
    # `typical`/`atypical` are the values written in the file (code spans, left as they are).
    assert english_words(visible_texts(at)) == []
