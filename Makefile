# Two commands do all the set-up on a fresh Debian or Ubuntu machine:
#   make rehearse   start a rehearsal (ARGS="--question url-shortener" to pass options,
#                   VOICE=piper for the natural interviewer voice, ENGINE=faster-whisper for the
#                   lighter Whisper engine; each installed on first use)
#   make test       run the tests
#   make test-fast  run the tests that need no real Whisper weights, PulseAudio or Chromium
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
ARGS ?=
VOICE ?=
ENGINE ?=
PYTEST_ARGS ?=

.PHONY: rehearse test test-fast bench system system-test clean

rehearse: system $(VENV)/.installed $(if $(filter piper,$(VOICE)),$(VENV)/.installed-voice) \
		$(if $(filter faster-whisper,$(ENGINE)),$(VENV)/.installed-fast)
	$(BIN)/mock-interview download $(if $(ENGINE),--engine $(ENGINE))
	$(BIN)/mock-interview rehearse $(if $(ENGINE),--engine $(ENGINE)) $(if $(VOICE),--voice $(VOICE)) $(ARGS)

test: system-test $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# only the runtime system packages (espeak-ng speaks the test answers), not PulseAudio or Chromium
test-fast: system $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not weights and not device and not browser" $(PYTEST_ARGS)

bench: system-test $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_analysis.py
	$(BIN)/python benchmarks/bench_speed.py
	$(BIN)/python benchmarks/bench_soak.py
	$(BIN)/python benchmarks/bench_voice.py
	$(BIN)/python benchmarks/bench_clarify.py --engine whisper
	$(BIN)/python benchmarks/bench_clarify.py --engine faster-whisper
	$(BIN)/python benchmarks/bench_clarify.py --held-out --model base

system:
	@scripts/system-packages.sh runtime

system-test:
	@scripts/system-packages.sh test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	scripts/install-torch.sh $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-voice: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[voice]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-fast: pyproject.toml $(VENV)/.installed | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[fast]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	scripts/install-torch.sh $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-voice $(VENV)/.installed-fast

clean:
	rm -rf $(VENV) build *.egg-info
