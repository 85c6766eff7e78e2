"""ocrfix.ray and ocrfix.dask: a local Ray cluster and a local Dask cluster each correct the
same 200 records, and every record must equal what one Engine in this process makes of it.

Both clusters run on this machine, on loopback, with Ray's usage reporting off: nothing
leaves the machine. The packages come from requirements-dev.txt (`make pydeps`); without them
the tests skip with a message, and fail under CI=true, as the model tests do.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys

import ocrfix
import pytest
from conftest import DEFAULT_REPO, require_models, require_module, worker_pythonpath

SETTINGS = {"gpu_layers": 0}  # the default model and tier (balanced), on the CPU


# Short English sentences with OCR-like errors put in by a seeded generator: the same 200
# records on every run, most with an error for the balanced tier to find, some with none.
SUBJECTS = ["The farmer", "Our neighbour", "The old captain", "A young teacher", "The council", "My brother",
            "The merchant", "Her mother", "The doctor", "The committee"]
VERBS = ["visited", "described", "repaired", "returned to", "painted", "remembered", "bought", "cleaned",
         "opened", "examined"]
PLACES = ["the small house", "the morning train", "the modern bridge", "the corner shop", "the little garden",
          "the public library", "the northern road", "the summer market", "the village church",
          "the caf\u00e9 terrace"]
ENDINGS = ["before the rain came.", "with great care.", "on Tuesday morning.", "after the long winter.",
           "during the evening.", "for the whole family.", "near the river.", "without any help."]
CONFUSIONS = [("m", "rn"), ("e", "c"), ("l", "1"), ("o", "0"), ("h", "li"), ("d", "cl"), ("i", "l"), ("s", "5")]


def make_records(count: int = 200, seed: int = 26) -> list[dict]:
    generator = random.Random(seed)
    records = []
    for number in range(count):
        words = " ".join(generator.choice(part) for part in (SUBJECTS, VERBS, PLACES, ENDINGS)).split(" ")
        for _ in range(generator.randint(0, 2)):
            at = generator.randrange(len(words))
            right, wrong = generator.choice(CONFUSIONS)
            if right in words[at]:
                words[at] = words[at].replace(right, wrong, 1)
            elif len(words[at]) > 3:  # a dropped letter instead
                cut = generator.randrange(1, len(words[at]) - 1)
                words[at] = words[at][:cut] + words[at][cut + 1:]
        records.append({"id": number, "text": " ".join(words)})
    return records


RECORDS = make_records()


def edit_dicts(text: str, edits) -> list[dict]:
    data = text.encode()
    return [{"begin": edit.begin, "end": edit.end, "original": data[edit.begin:edit.end].decode(),
             "replacement": edit.replacement, "score": edit.score, "source": edit.source} for edit in edits]


@pytest.fixture(scope="module")
def expected():
    """{id: (corrected text, edits)} from one Engine in this process: what every cluster must give."""
    require_models(DEFAULT_REPO)
    # One thread: a loaded machine slows llama.cpp's threads waiting on each other far more.
    with ocrfix.Engine(ocrfix.ModelConfig(**SETTINGS, threads=1)) as engine:
        results = engine.run_postprocessor([record["text"] for record in RECORDS])
    by_id = {record["id"]: (result.text, edit_dicts(record["text"], result.edits))
             for record, result in zip(RECORDS, results)}
    assert sum(len(edits) for _, edits in by_id.values()) >= 50, "the records must give the engine work"
    assert sum(text != record["text"] for record, (text, _) in zip(RECORDS, by_id.values())) >= 50
    return by_id


def assert_rows_match(rows, expected, ids=None):
    """Each row (a dict with id, corrected, edits) equals the single-process result, and every
    id of `ids` (all 200 by default) comes back exactly once."""
    rows = sorted(rows, key=lambda row: row["id"])
    assert [row["id"] for row in rows] == sorted(expected if ids is None else ids)
    for row in rows:
        text, edits = expected[row["id"]]
        assert row["corrected"] == text, f"record {row['id']}"
        assert [dict(edit) for edit in row["edits"]] == edits, f"record {row['id']}"


def run_python(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=worker_pythonpath())
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


# --- without a model ------------------------------------------------------------------------

def test_import_ocrfix_loads_neither_ray_nor_dask():
    run = run_python("import sys, ocrfix; print(sorted({'ray', 'dask', 'distributed'} & set(sys.modules)))")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("module, extra", [("ray", "ray"), ("dask", "dask"), ("distributed", "dask")])
def test_a_missing_extra_is_named(module, extra):
    target = "ray" if extra == "ray" else "dask"
    run = run_python(f"import sys; sys.modules[{module!r}] = None; import ocrfix.{target}")
    assert run.returncode != 0
    assert f"pip install 'ocrfix[{extra}]'" in run.stderr


def test_dask_checks_settings_and_columns_before_any_work():
    require_module("distributed")
    dataframe = require_module("dask.dataframe")
    bag = require_module("dask.bag")
    import ocrfix.dask
    import pandas

    frame = dataframe.from_pandas(pandas.DataFrame({"id": [1], "body": ["tbe end"]}), npartitions=1)
    with pytest.raises(ocrfix.InvalidArgumentError, match=r"no 'text' \(it has: id, body\).*column="):
        ocrfix.dask.correct_dataframe(frame, **SETTINGS)
    with pytest.raises(TypeError, match="unexpected keyword argument 'tire'"):
        ocrfix.dask.correct_bag(bag.from_sequence(["tbe end"]), tire="fast")
    with pytest.raises(ocrfix.InvalidArgumentError, match="tier 'quick'"):
        ocrfix.dask.correct_dataframe(frame, column="body", tier="quick")
    records = bag.from_sequence([{"body": "tbe end"}])
    with pytest.raises(ocrfix.InvalidArgumentError, match=r"record has no 'text' \(it has: body\).*field="):
        ocrfix.dask.correct_bag(records, **SETTINGS).compute(scheduler="sync")
    with pytest.raises(ocrfix.InvalidInputError, match="an item of type int"):
        ocrfix.dask.correct_bag(bag.from_sequence([7]), **SETTINGS).compute(scheduler="sync")


# --- Ray --------------------------------------------------------------------------------------

# Ray's processes talk to each other over loopback only, and reach nothing else: no usage
# report (off, and pointed at a closed local port), and the cloud-metadata request that its
# dashboard process makes even with usage stats off goes to a closed local proxy.
RAY_OFFLINE = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_USAGE_STATS_REPORT_URL": "http://127.0.0.1:9/",
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",  # 0: a one-machine cluster on 127.0.0.1
    "HTTP_PROXY": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
}


def import_ray(patch: pytest.MonkeyPatch):
    """Ray, imported with RAY_OFFLINE set (it reads some of them when first imported)."""
    patch.delenv("RAY_ADDRESS", raising=False)  # a new local cluster, never one already running
    for name, value in RAY_OFFLINE.items():
        patch.setenv(name, value)
    # The cluster's own token: Ray would otherwise write one to ~/.ray/auth_token.
    patch.setenv("RAY_AUTH_TOKEN", secrets.token_hex(32))
    ray = require_module("ray")
    require_module("ray.data")
    return ray


@pytest.fixture(scope="class")
def ray_cluster(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        ray = import_ray(patch)
        patch.setenv("PYTHONPATH", worker_pythonpath())
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 _temp_dir=str(tmp_path_factory.mktemp("ray")), object_store_memory=200 * 1024 * 1024)
        ray.data.DataContext.get_current().enable_progress_bars = False
        yield ray
        ray.shutdown()


@pytest.mark.model
@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")  # Ray Data's own settings, not ours
class TestRay:
    def test_two_actors_give_what_one_engine_gives(self, ray_cluster, expected):
        import ocrfix.ray

        ray = ray_cluster
        records = ray.data.from_items(RECORDS, override_num_blocks=8)
        corrected = records.map_batches(ocrfix.ray.Corrector, fn_constructor_kwargs=SETTINGS,
                                        compute=ray.data.ActorPoolStrategy(size=2), num_cpus=1, batch_size=25)
        assert_rows_match(corrected.take_all(), expected)
        edits = corrected.schema().base_schema.field("edits").type
        assert edits == ocrfix.ray.edits_type()

    def test_pandas_batches_and_empty_blocks(self, ray_cluster, expected):
        import ocrfix.ray
        import pandas

        ray = ray_cluster
        some = RECORDS[:30]
        frames = [pandas.DataFrame(some[:20]), pandas.DataFrame({"id": [], "text": []}), pandas.DataFrame(some[20:])]
        corrected = ray.data.from_pandas(frames).map_batches(
            ocrfix.ray.Corrector, fn_constructor_kwargs=SETTINGS, batch_format="pandas",
            compute=ray.data.ActorPoolStrategy(size=1), num_cpus=1)
        assert_rows_match(corrected.take_all(), expected, ids=[record["id"] for record in some])

    def test_an_actor_runs_on_the_cpus_it_was_given(self, ray_cluster, expected):
        import numpy
        import ocrfix.ray

        class Threads(ocrfix.ray.Corrector):  # defined here, so Ray ships it by value
            def __call__(self, batch):
                return {**super().__call__(batch), "threads": numpy.full(len(batch["text"]), self.threads)}

        ray = ray_cluster
        records = ray.data.from_items(RECORDS[:4])
        for settings, threads in [(SETTINGS, 2), ({**SETTINGS, "threads": 1}, 1)]:
            rows = records.map_batches(Threads, fn_constructor_kwargs=settings, num_cpus=2,
                                       compute=ray.data.ActorPoolStrategy(size=1)).take_all()
            assert [row["threads"] for row in rows] == [threads] * 4
            assert_rows_match(rows, expected, range(4))  # the same edits on 2 threads as on 1

    def test_a_missing_column_says_which(self, ray_cluster):
        import ocrfix.ray

        ray = ray_cluster
        records = ray.data.from_items([{"id": 1, "body": "tbe end"}])
        corrected = records.map_batches(ocrfix.ray.Corrector, fn_constructor_kwargs=SETTINGS,
                                        compute=ray.data.ActorPoolStrategy(size=1), num_cpus=1)
        # Ray Data wraps the error in its own class; its message carries ours whole.
        with pytest.raises(Exception, match=r"InvalidArgumentError: the batch has no 'text' \(it has: id, body\); "
                                            r"name the one that holds the text with text_column="):
            corrected.take_all()


@pytest.fixture(scope="module")
def corrector():
    """A Corrector called directly, outside Ray: each batch format, empty batches, nulls."""
    require_models(DEFAULT_REPO)
    with pytest.MonkeyPatch.context() as patch:
        import_ray(patch)
    import ocrfix.ray

    return ocrfix.ray.Corrector(**SETTINGS)


@pytest.mark.model
def test_corrector_outside_an_actor_uses_one_thread_unless_told(corrector):
    import ocrfix.ray

    assert corrector.threads == 1
    assert ocrfix.ray.Corrector(text_column="body", threads=2, **SETTINGS).threads == 2


@pytest.mark.model
def test_corrector_keeps_the_batch_format(corrector, expected):
    import numpy
    import ocrfix.ray
    import pandas
    import pyarrow

    some, ids = RECORDS[:6], range(6)
    columns = corrector({"id": numpy.array(ids), "text": numpy.array([record["text"] for record in some])})
    assert list(columns) == ["id", "text", "corrected", "edits"] and isinstance(columns["edits"], numpy.ndarray)
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    assert_rows_match(rows, expected, ids)
    frame = corrector(pandas.DataFrame(some))
    assert isinstance(frame, pandas.DataFrame) and list(frame.index) == list(ids)
    assert_rows_match(frame.to_dict("records"), expected, ids)
    table = corrector(pyarrow.Table.from_pylist(some))
    assert isinstance(table, pyarrow.Table) and table.schema.field("edits").type == ocrfix.ray.edits_type()
    assert_rows_match(table.to_pylist(), expected, ids)


@pytest.mark.model
def test_corrector_takes_empty_batches_and_nulls(corrector):
    import numpy
    import pandas
    import pyarrow

    empty = corrector({"text": numpy.array([], dtype=object)})
    assert len(empty["corrected"]) == len(empty["edits"]) == 0
    assert corrector(pandas.DataFrame({"text": pandas.Series([], dtype=object)})).shape == (0, 3)
    assert corrector(pyarrow.table({"text": pyarrow.array([], pyarrow.string())})).num_rows == 0
    nulls = corrector(pandas.DataFrame({"text": [None, "Ths is a smple txt."]}))
    assert nulls["corrected"][0] is None and nulls["edits"][0] == []
    assert nulls["corrected"][1] == "This is a simple text." and nulls["edits"][1]
    with pytest.raises(ocrfix.InvalidInputError, match=r"row 0 of column 'text' is of type int64, not text"):
        corrector({"text": numpy.array([3, 4])})
    with pytest.raises(ocrfix.InvalidArgumentError, match="batch_format='numpy'"):
        corrector([{"text": "tbe end"}])


# --- Dask -------------------------------------------------------------------------------------

@pytest.fixture(scope="class")
def dask_client(tmp_path_factory):
    distributed = require_module("distributed")
    require_module("dask.dataframe")
    import dask

    scratch = str(tmp_path_factory.mktemp("dask"))  # not the shared /tmp/dask-scratch-space
    with pytest.MonkeyPatch.context() as patch, dask.config.set({"temporary-directory": scratch}):
        patch.setenv("PYTHONPATH", worker_pythonpath())
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            yield client


@pytest.mark.model
class TestDask:
    def test_a_bag_on_two_workers_gives_what_one_engine_gives(self, dask_client, expected):
        import dask.bag
        import ocrfix.dask

        dask_client.register_plugin(ocrfix.dask.EnginePlugin(**SETTINGS))
        rows = ocrfix.dask.correct_bag(dask.bag.from_sequence(RECORDS, npartitions=8), **SETTINGS).compute()
        assert [row["text"] for row in rows] == [record["text"] for record in RECORDS]  # in order, kept
        assert_rows_match(rows, expected)

        def engines():  # defined here, so Dask ships it by value
            from ocrfix import _batches
            return [engine.config.threads for engine in _batches._engines.values()]

        # One Engine per worker process, the plugin's, used by every partition; 1 thread each.
        assert list(dask_client.run(engines).values()) == [[1], [1]]

    def test_a_dataframe_on_two_workers_gives_what_one_engine_gives(self, dask_client, expected):
        import dask.dataframe
        import ocrfix.dask
        import pandas

        frame = dask.dataframe.from_pandas(pandas.DataFrame(RECORDS), npartitions=8)
        corrected = ocrfix.dask.correct_dataframe(frame, column="text", **SETTINGS)
        assert list(corrected.columns) == ["id", "text", "corrected", "edits"]
        rows = corrected.compute()
        assert rows["corrected"].dtype == rows["text"].dtype == rows["edits"].dtype
        assert_rows_match([{**row, "edits": json.loads(row["edits"])} for row in rows.to_dict("records")], expected)

    def test_empty_partitions(self, dask_client, expected):
        import dask.bag
        import dask.dataframe
        import ocrfix.dask
        import pandas

        some = RECORDS[:40]
        frame = dask.dataframe.from_pandas(pandas.DataFrame(some), npartitions=4)
        frame = frame[frame["id"] >= 10]  # the first partition is now empty
        assert frame.map_partitions(len).compute().tolist() == [0, 10, 10, 10]
        rows = ocrfix.dask.correct_dataframe(frame, **SETTINGS).compute().to_dict("records")
        assert_rows_match([{**row, "edits": json.loads(row["edits"])} for row in rows], expected, range(10, 40))

        skipped = {record["text"] for record in some[:10]}
        texts = dask.bag.from_sequence([record["text"] for record in some], npartitions=4)
        texts = texts.filter(lambda text: text not in skipped)
        assert texts.map_partitions(lambda part: [len(list(part))]).compute() == [0, 10, 10, 10]
        by_text = {record["text"]: record["id"] for record in some}
        rows = ocrfix.dask.correct_bag(texts, **SETTINGS).compute()
        assert_rows_match([{**row, "id": by_text[row["text"]]} for row in rows], expected, range(10, 40))


@pytest.mark.model
def test_dask_without_a_cluster_uses_this_process(expected):
    bag = require_module("dask.bag")
    require_module("distributed")
    import ocrfix.dask

    rows = ocrfix.dask.correct_bag(bag.from_sequence(RECORDS[:12], npartitions=3), **SETTINGS).compute(
        scheduler="threads")
    assert_rows_match(rows, expected, range(12))
