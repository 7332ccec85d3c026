"""The server's kernel manager holds enough ZeroMQ sockets for hundreds of kernels
(issue 27: at about 200 kernels Voila's one context ran out of libzmq's default 1,023)."""

from __future__ import annotations

import zmq

from kit.commands.serve import ServeOptions, voila_argv
from kit.voila._room_manager import DEFAULT_MAX_SOCKETS, RoomKernelManager, raise_open_file_limit


def test_the_context_allows_more_than_libzmqs_default_before_its_first_socket():
    manager = RoomKernelManager()
    context = manager.context
    try:
        assert context.get(zmq.MAX_SOCKETS) > 1023
        # More sockets than the old limit can be opened on the one shared context.
        sockets = [context.socket(zmq.DEALER) for _ in range(1100)]
        for s in sockets:
            s.close(linger=0)
    finally:
        context.term()


def test_the_setting_is_configurable_and_never_below_the_default():
    manager = RoomKernelManager(max_sockets=10)
    try:
        assert manager.context.get(zmq.MAX_SOCKETS) == 1023
    finally:
        manager.context.term()
    assert DEFAULT_MAX_SOCKETS >= 5 * 1000


def test_the_open_file_limit_is_raised_never_lowered():
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert raise_open_file_limit(16) >= min(16, soft)
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == soft  # not lowered


def test_kit_serve_names_the_manager_through_voilas_public_setting(tmp_path):
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration

    app = Voila()
    app.parse_command_line(voila_argv(ServeOptions(tmp_path))[4:])
    assert VoilaConfiguration(parent=app).multi_kernel_manager_class is RoomKernelManager


def test_voila_builds_its_pooled_manager_on_the_room_manager():
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    cls = voila_kernel_manager_factory(RoomKernelManager, True, 1)
    assert issubclass(cls, RoomKernelManager)
