"""A private PulseAudio daemon with a virtual microphone and a virtual speaker.

Tests use it to drive real audio through PortAudio/sounddevice without
hardware::

    with VirtualAudio() as va:
        proc = subprocess.Popen([...], env=va.env)   # the program under test
        va.play("answer.wav")                        # "speak" into its mic
        va.record_speaker(3.0, "out.wav")            # capture what it played

Layout of the daemon (all names fixed, 48 kHz):

* sink ``vspeaker``: the default output. Whatever a program plays ends up
  here; ``record_speaker`` records its monitor (``vspeaker.monitor``).
* sink ``vmicfeed`` -> source ``vmic``: the default input. ``play`` writes a
  WAV into ``vmicfeed``; programs recording from the default input hear it.
* sink ``vdrain`` with 10 ms loopbacks from ``vmic`` and ``vspeaker.monitor``:
  keeps both awake so a new recording stream gets audio at once (without it
  the first audio came ~2 s late now and then).

The two paths are separate by default, so a program does not hear its own
output through the microphone. ``VirtualAudio(loopback=True)`` gives the
single-sink layout instead (``vmic`` remaps ``vspeaker.monitor``, so ``play``
and anything the program plays are both heard by the microphone).

The daemon runs in the foreground as a child of this process (not ``-D``), so
it is always reaped and can be killed by pid if ``pactl exit`` fails; it runs
as root without ``--system`` (it only warns). ``start()`` takes ~2 s: it waits
until both sources deliver audio promptly. ``stop()`` takes ~10 ms.

Clients reach it only through the variables in ``env`` (``PULSE_SERVER``,
``PULSE_RUNTIME_PATH``, ``XDG_RUNTIME_DIR``; any one is enough, no cookie is
needed). ``HOME`` is left alone in ``env``; only the daemon gets a private one.
Autospawn is switched off (``PULSE_CLIENTCONFIG``) so a client that cannot
connect fails instead of starting a stray daemon.

A process that uses sounddevice must get ``env`` *before* PortAudio starts:
ALSA maps ``default`` to PulseAudio only if a server is reachable when the
ALSA configuration is first loaded (``/etc/alsa/conf.d/99-pulse.conf``). So
run such code in a subprocess started with ``env=va.env``; importing
sounddevice in the pytest process before the daemon starts leaves it without
the ``pulse``/``default`` mapping for the rest of the run.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import wave
from pathlib import Path

BINARIES = ("pulseaudio", "pactl", "paplay", "parec")

SPEAKER_SINK = "vspeaker"
SPEAKER_MONITOR = "vspeaker.monitor"
MIC_SOURCE = "vmic"
MIC_FEED_SINK = "vmicfeed"
DRAIN_SINK = "vdrain"

# Inherited variables that could point clients somewhere else.
_CLEARED_VARS = (
    "PULSE_SERVER",
    "PULSE_SINK",
    "PULSE_SOURCE",
    "PULSE_COOKIE",
    "PULSE_CLIENTCONFIG",
    "PULSE_RUNTIME_PATH",
    "PULSE_STATE_PATH",
    "PULSE_CONFIG_PATH",
    "PULSE_PROP",
)


def available() -> str | None:
    """None if the PulseAudio tools are installed, else why not."""
    missing = [name for name in BINARIES if shutil.which(name) is None]
    if missing:
        return "PulseAudio tools not found on PATH: " + ", ".join(missing)
    return None


def _die_with_parent() -> None:
    """In the daemon's child, before exec: SIGTERM it if we die (Linux).

    So a pytest killed with SIGKILL leaves no daemon behind. The signal
    follows the *thread* that started the daemon, so start it from a thread
    that lives as long as the daemon should (the main thread in practice).
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class VirtualAudioError(RuntimeError):
    pass


class VirtualAudio:
    """A private PulseAudio daemon; see the module docstring."""

    def __init__(self, *, rate: int = 48000, loopback: bool = False,
                 start_timeout: float = 10.0) -> None:
        self.rate = rate
        self.loopback = loopback
        self.start_timeout = start_timeout
        self.dir: Path | None = None
        self.env: dict[str, str] = {}
        self._proc: subprocess.Popen | None = None
        self._log = None

    # -- lifecycle -------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def mic_feed_sink(self) -> str:
        """The sink whose sound the microphone ``vmic`` hears."""
        return SPEAKER_SINK if self.loopback else MIC_FEED_SINK

    def start(self) -> "VirtualAudio":
        if self._proc is not None:
            raise VirtualAudioError("already started")
        reason = available()
        if reason:
            raise VirtualAudioError(reason)

        self.dir = Path(tempfile.mkdtemp(prefix="vaudio-"))
        os.chmod(self.dir, 0o700)  # libpulse refuses a runtime dir others can read
        runtime = self.dir / "pulse"
        runtime.mkdir(mode=0o700)
        client_conf = self.dir / "client.conf"
        client_conf.write_text("autospawn = no\n")

        # What a client needs: any one of PULSE_SERVER, PULSE_RUNTIME_PATH or
        # XDG_RUNTIME_DIR finds the socket, and auth-anonymous makes the
        # cookie (found through HOME) irrelevant. HOME stays the real one so
        # programs under test keep their caches (e.g. ~/.cache/whisper).
        env = {k: v for k, v in os.environ.items() if k not in _CLEARED_VARS}
        env.update(
            XDG_RUNTIME_DIR=str(self.dir),
            PULSE_RUNTIME_PATH=str(runtime),
            PULSE_SERVER=f"unix:{runtime / 'native'}",
            PULSE_CLIENTCONFIG=str(client_conf),
        )
        self.env = env
        # The daemon also gets a private HOME/config/state, so it reads and
        # writes nothing outside self.dir.
        daemon_env = dict(env)
        daemon_env.update(
            HOME=str(self.dir),
            XDG_CONFIG_HOME=str(self.dir / "config"),
            PULSE_STATE_PATH=str(self.dir / "state"),
        )
        daemon_env.pop("DBUS_SESSION_BUS_ADDRESS", None)

        script = self.dir / "daemon.pa"
        script.write_text(self._daemon_script(runtime / "native"))
        cmd = [
            "pulseaudio", "-n", f"--file={script}", "--daemonize=no",
            "--exit-idle-time=-1", "--use-pid-file=no", "--realtime=no",
            "--high-priority=no", "--log-target=stderr",
        ]
        self._log = open(self.dir / "pulseaudio.log", "wb")
        self._proc = subprocess.Popen(
            cmd, env=daemon_env, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent)
        atexit.register(self.stop)
        try:
            self._wait_ready()
            self._warm_up()
        except BaseException:
            self.stop()
            raise
        return self

    def _daemon_script(self, socket: Path) -> str:
        rate = self.rate
        mic_master = SPEAKER_MONITOR if self.loopback else f"{MIC_FEED_SINK}.monitor"
        lines = [
            # auth-anonymous: clients need no cookie
            f"load-module module-native-protocol-unix socket={socket} auth-anonymous=1",
            f"load-module module-null-sink sink_name={SPEAKER_SINK} rate={rate}",
        ]
        if not self.loopback:
            lines.append(f"load-module module-null-sink sink_name={MIC_FEED_SINK} rate={rate}")
        lines += [
            f"load-module module-remap-source master={mic_master} source_name={MIC_SOURCE}",
            # Keep-alive. A null sink with nothing attached sleeps for its
            # maximum latency (2 s) and does not notice a new low-latency
            # recording stream until it wakes, so the first audio of a new
            # stream on vmic / vspeaker.monitor came ~2 s late, now and then.
            # A 10 ms loopback from each into a throwaway sink keeps them awake.
            f"load-module module-null-sink sink_name={DRAIN_SINK} rate={rate}",
        ]
        for source in (SPEAKER_MONITOR, MIC_SOURCE):
            lines.append(
                f"load-module module-loopback source={source} sink={DRAIN_SINK} "
                "latency_msec=10 source_dont_move=true sink_dont_move=true")
        lines += [
            f"set-default-sink {SPEAKER_SINK}",
            f"set-default-source {MIC_SOURCE}",
        ]
        return "\n".join(lines) + "\n"

    def _warm_up(self) -> None:
        """Wait until vmic and vspeaker.monitor deliver audio promptly.

        For ~2 s after the daemon starts, the first audio of a new recording
        stream is late by up to 2 s even with the keep-alive loopbacks. Read
        from both sources once here so tests never see that.
        """
        procs = [subprocess.Popen(
            ["parec", f"--device={source}", "--raw", "--latency-msec=20"],
            env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL) for source in (MIC_SOURCE, SPEAKER_MONITOR)]
        deadline = time.monotonic() + self.start_timeout
        try:
            pending = {p.stdout: p for p in procs}
            while pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise VirtualAudioError(
                        f"no audio from the virtual sources after "
                        f"{self.start_timeout}s:\n{self.log()}")
                ready, _, _ = select.select(list(pending), [], [], left)
                for f in ready:
                    if not f.read1(4096):
                        raise VirtualAudioError(
                            f"parec exited during warm-up:\n{self.log()}")
                    del pending[f]
        finally:
            for p in procs:
                p.kill()
                p.wait()
                p.stdout.close()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self._proc.poll() is not None:
                raise VirtualAudioError(
                    f"pulseaudio exited with {self._proc.returncode}:\n{self.log()}")
            r = subprocess.run(["pactl", "info"], env=self.env,
                               capture_output=True, timeout=5)
            if r.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise VirtualAudioError(
                    f"pulseaudio not reachable after {self.start_timeout}s:\n"
                    f"{r.stderr.decode(errors='replace')}\n{self.log()}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the daemon (pactl exit, then SIGTERM/SIGKILL) and clean up."""
        proc, self._proc = self._proc, None
        atexit.unregister(self.stop)
        if proc is not None:
            if proc.poll() is None:
                try:
                    subprocess.run(["pactl", "exit"], env=self.env,
                                   capture_output=True, timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            for sig in (None, signal.SIGTERM, signal.SIGKILL):
                if sig is not None and proc.poll() is None:
                    proc.send_signal(sig)
                try:
                    proc.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> "VirtualAudio":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- helpers ---------------------------------------------------------

    def log(self) -> str:
        """The daemon's log so far (for failure messages)."""
        if self.dir is None or not (self.dir / "pulseaudio.log").exists():
            return ""
        return (self.dir / "pulseaudio.log").read_text(errors="replace")

    def pactl(self, *args: str) -> str:
        r = subprocess.run(["pactl", *args], env=self.env,
                           capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise VirtualAudioError(f"pactl {' '.join(args)} failed: {r.stderr}")
        return r.stdout

    def speaker_streams(self) -> int:
        """How many streams play into the speaker now: while a program speaks, its voice is one."""
        sinks = dict(line.split("\t")[1::-1] for line in self.pactl("list", "short", "sinks").splitlines())
        inputs = self.pactl("list", "short", "sink-inputs").splitlines()
        return sum(line.split("\t")[1] == sinks[SPEAKER_SINK] for line in inputs)

    def _check_running(self) -> None:
        if not self.running:
            raise VirtualAudioError("VirtualAudio is not running")

    def _paplay_cmd(self, path) -> list[str]:
        return ["paplay", f"--device={self.mic_feed_sink}", os.fspath(path)]

    def play(self, path, timeout: float | None = 60) -> None:
        """Play a WAV into the microphone; returns when it has been played."""
        self._check_running()
        r = subprocess.run(self._paplay_cmd(path), env=self.env,
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise VirtualAudioError(f"paplay {path} failed: {r.stderr}")

    def play_async(self, path) -> subprocess.Popen:
        """Start playing a WAV into the microphone; returns the paplay Popen."""
        self._check_running()
        return subprocess.Popen(self._paplay_cmd(path), env=self.env,
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)

    def record_speaker(self, seconds: float, path, *, rate: int = 16000,
                       channels: int = 1,
                       started: threading.Event | None = None,
                       stop: threading.Event | None = None) -> Path:
        """Record ``seconds`` of the default output to a 16-bit WAV, or less
        once ``stop`` is set (say, when the program under test has exited, so a
        busy machine that starts it late still has all it played recorded).

        Blocks until done. Recording starts when this is called; to have a
        program play *during* the recording, call this in a thread and pass
        ``started``: it is set once parec delivers audio, i.e. once anything
        played from then on will be captured.
        """
        self._check_running()
        nbytes = int(round(seconds * rate)) * channels * 2
        proc = subprocess.Popen(
            ["parec", f"--device={SPEAKER_MONITOR}", "--raw",
             "--format=s16le", f"--rate={rate}", f"--channels={channels}",
             "--latency-msec=20"],
            env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        chunks, got = [], 0
        try:
            while got < nbytes and not (stop is not None and stop.is_set()):
                chunk = proc.stdout.read1(nbytes - got)
                if not chunk:
                    err = proc.stderr.read().decode(errors="replace")
                    raise VirtualAudioError(f"parec stopped early: {err}")
                if started is not None and not chunks:
                    started.set()
                chunks.append(chunk)
                got += len(chunk)
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        path = Path(path)
        with wave.open(os.fspath(path), "wb") as w:
            w.setnchannels(channels)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(b"".join(chunks))
        return path
