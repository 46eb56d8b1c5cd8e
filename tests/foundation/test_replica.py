"""The replica router: reads go to the replica only inside ``replica_reads``; writes never."""

from immersion.models import Team
from immersion.replica import REPLICA, ReplicaRouter, replica_configured, replica_reads

router = ReplicaRouter()


def test_reads_go_to_the_primary_outside_a_replica_view():
    assert router.db_for_read(Team) == "default"


def test_reads_go_to_the_replica_inside_a_replica_view():
    with replica_reads():
        assert router.db_for_read(Team) == REPLICA


def test_an_instance_read_from_the_replica_is_written_to_the_primary():
    team = Team(name="Store A")
    team._state.db = REPLICA

    with replica_reads():
        assert router.db_for_write(Team, instance=team) == "default"


def test_nothing_is_migrated_on_the_replica():
    assert router.allow_migrate(REPLICA, "journal") is False
    assert router.allow_migrate("default", "journal") is True


def test_without_a_replica_url_there_is_no_replica():
    assert not replica_configured()
