package dev.nexus.core.routing;

/**
 * Told when a pattern gains its first subscriber or loses its last, so a clustered broker can subscribe or
 * unsubscribe upstream. Called with the trie's write lock held: keep it short and never call back into the trie.
 */
public interface InterestListener {
    InterestListener NONE = new InterestListener() {
        @Override
        public void firstInterest(String pattern) {
        }

        @Override
        public void lastInterestGone(String pattern) {
        }
    };

    void firstInterest(String pattern);

    void lastInterestGone(String pattern);
}
