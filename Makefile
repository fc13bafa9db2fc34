# Two commands do all the set-up on a fresh Debian or Ubuntu machine:
#   make rehearse   start a rehearsal (ARGS="--question url-shortener" to pass options,
#                   VOICE=piper for the natural interviewer voice, ENGINE=faster-whisper for the
#                   lighter Whisper engine; each installed on first use)
#   make test       run the tests
#   make test-fast  run the tests that need no real Whisper weights, PulseAudio or Chromium
# Without an NVIDIA GPU the install leaves out what only a GPU uses (PyTorch's CUDA libraries, Triton);
# GPU=1 installs the GPU build anyway, GPU=0 the CPU build on a machine with a GPU (scripts/gpu.sh).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
ARGS ?=
VOICE ?=
ENGINE ?=
PYTEST_ARGS ?=
GPU ?=
export GPU
INSTALL := scripts/install.sh scripts/install-torch.sh scripts/gpu.sh scripts/venv-size.py pyproject.toml $(VENV)/.gpu

.PHONY: rehearse test test-fast bench system system-test clean FORCE

rehearse: system $(VENV)/.installed $(if $(filter piper,$(VOICE)),$(VENV)/.installed-voice) \
		$(if $(filter faster-whisper,$(ENGINE)),$(VENV)/.installed-fast)
	@$(BIN)/mock-interview download $(if $(ENGINE),--engine $(ENGINE))
	@$(BIN)/mock-interview rehearse $(if $(ENGINE),--engine $(ENGINE)) $(if $(VOICE),--voice $(VOICE)) $(ARGS)

# the install's size against its budget first (simulator/cli/footprint.py), one line either way
test: system-test $(VENV)/.installed-test
	@$(BIN)/python scripts/venv-size.py --check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# only the runtime system packages (espeak-ng speaks the test answers), not PulseAudio or Chromium
test-fast: system $(VENV)/.installed-test
	@$(BIN)/python scripts/venv-size.py --check
	$(BIN)/python -m pytest -m "not weights and not device and not browser" $(PYTEST_ARGS)

bench: system-test $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_analysis.py
	$(BIN)/python benchmarks/bench_diagram.py
	$(BIN)/python benchmarks/bench_design.py
	$(BIN)/python benchmarks/bench_unseen.py
	$(BIN)/python benchmarks/bench_speed.py
	$(BIN)/python benchmarks/bench_listen.py
	$(BIN)/python benchmarks/bench_soak.py
	$(BIN)/python benchmarks/bench_voice.py
	$(BIN)/python benchmarks/bench_clarify.py --engine whisper
	$(BIN)/python benchmarks/bench_clarify.py --engine faster-whisper
	$(BIN)/python benchmarks/bench_turns.py --engine whisper
	$(BIN)/python benchmarks/bench_turns.py --engine faster-whisper
	$(BIN)/python benchmarks/bench_clarify.py --held-out --model base

system:
	@scripts/system-packages.sh runtime

system-test:
	@scripts/system-packages.sh test

$(BIN)/python:
	@echo "Virtual environment: creating $(VENV)..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --quiet --disable-pip-version-check --upgrade pip

# the GPU= given last time: another one installs again
$(VENV)/.gpu: FORCE | $(BIN)/python
	@echo "$(GPU)" | cmp -s - $@ || echo "$(GPU)" >$@

$(VENV)/.installed: $(INSTALL) | $(BIN)/python
	@scripts/install.sh $(BIN)/python
	@touch $@

$(VENV)/.installed-voice: $(INSTALL) | $(BIN)/python
	@scripts/install.sh $(BIN)/python voice
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-fast: $(INSTALL) $(VENV)/.installed | $(BIN)/python
	@scripts/install.sh $(BIN)/python fast
	@touch $@

$(VENV)/.installed-test: $(INSTALL) | $(BIN)/python
	@scripts/install.sh $(BIN)/python test
	@touch $@ $(VENV)/.installed $(VENV)/.installed-voice $(VENV)/.installed-fast

clean:
	rm -rf $(VENV) build *.egg-info
