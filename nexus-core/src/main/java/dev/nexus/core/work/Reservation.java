package dev.nexus.core.work;

import dev.nexus.core.spi.Claim;
import dev.nexus.protocol.ResourceGlob;

/**
 * One reservation: a claim and one of the resources it holds.
 *
 * @param claim the holding claim (its holder, item, token, lease and mode)
 * @param resource the resource
 */
public record Reservation(Claim claim, ResourceGlob resource) {
}
