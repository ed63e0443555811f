package dev.nexus.core;

import dev.nexus.core.routing.Subscriber;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport stand-in that keeps what the node hands it. */
final class RecordingSubscriber implements Subscriber {
    final List<EncodedEvent> events = new CopyOnWriteArrayList<>();
    final List<ErrorCode> disconnects = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(EncodedEvent event) {
        events.add(event);
    }

    @Override
    public void disconnect(ErrorCode reason, String message) {
        disconnects.add(reason);
    }

    List<Event> received() {
        return events.stream().map(EncodedEvent::event).toList();
    }

    List<String> types() {
        return events.stream().map(e -> e.event().eventType()).toList();
    }

    void clear() {
        events.clear();
    }
}
