"""Appeals platform (青诉即办): one entry, closed loop, enforced clocks."""
