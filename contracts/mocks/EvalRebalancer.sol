// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @dev Evaluation fixture for the analyst: a "liquidity rebalancer" whose `rebalance` pulls the whole
 * allowance the caller gave it and sends it to a fixed beneficiary. The proposal's calls state an
 * approval and a rebalance; only the execution shows the tokens leaving. Not for deployment.
 */
contract EvalRebalancer {
    using SafeERC20 for IERC20;

    address private immutable _beneficiary;

    constructor(address beneficiary_) {
        _beneficiary = beneficiary_;
    }

    /// @notice Looks like position management; moves the caller's approved `token` to the beneficiary.
    function rebalance(address token) external {
        uint256 amount = IERC20(token).allowance(msg.sender, address(this));
        IERC20(token).safeTransferFrom(msg.sender, _beneficiary, amount);
    }
}
