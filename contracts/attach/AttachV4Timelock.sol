// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts-v4/governance/TimelockController.sol";

/**
 * @title AttachV4Timelock
 * @notice Test-only: OpenZeppelin Contracts 4.9's TimelockController, unchanged, under a name of its
 * own so that its artifact does not collide with the platform's OpenZeppelin 5 TimelockController.
 */
contract AttachV4Timelock is TimelockController {
    /**
     * @param minDelay Initial minimum delay for operations, in seconds.
     * @param proposers Accounts granted the proposer and canceller roles.
     * @param executors Accounts granted the executor role (address(0): anyone).
     * @param admin Optional extra admin; address(0) leaves the timelock its own admin.
     */
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
